// Wireshark's packet list: one row per packet, keyboard first (↑ ↓ Home End move the
// selection). Dropped packets say so in words and with ✕, never by colour alone. Rows the
// browser does not show are not laid out (content-visibility), so a 1,000-packet run scrolls.
import { useEffect, useRef } from "preact/hooks";
import type { Packet } from "../api/client.ts";
import { describeFate, hostName, showTime, type HostNames } from "./model.ts";

interface Props {
  packets: Packet[];
  names: HostNames;
  selected: number | undefined;
  onSelect: (seq: number) => void;
}

export function PacketList({ packets, names, selected, onSelect }: Props) {
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    body.current?.querySelector(`[data-seq="${selected}"]`)?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  const index = packets.findIndex((p) => p.seq === selected);
  const onKeyDown = (event: KeyboardEvent) => {
    if (packets.length === 0) return;
    const last = packets.length - 1;
    const moves: Record<string, number> = {
      ArrowDown: Math.min(last, index + 1),
      ArrowUp: Math.max(0, index - 1),
      Home: 0,
      End: last,
      PageDown: Math.min(last, index + 10),
      PageUp: Math.max(0, index - 10),
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    onSelect(packets[next]!.seq);
  };

  return (
    <div
      class="packet-list"
      role="grid"
      aria-label="Packets"
      aria-rowcount={packets.length + 1}
      tabIndex={0}
      aria-activedescendant={selected === undefined ? undefined : `packet-row-${selected}`}
      onKeyDown={onKeyDown}
      onFocus={() => selected === undefined && packets[0] && onSelect(packets[0].seq)}
    >
      <div role="row" class="packet-row head">
        <span role="columnheader">No.</span>
        <span role="columnheader">Time</span>
        <span role="columnheader">Source</span>
        <span role="columnheader">Destination</span>
        <span role="columnheader">Protocol</span>
        <span role="columnheader">Length</span>
        <span role="columnheader">Info</span>
      </div>
      {packets.length === 0 && <p class="muted empty">No packets yet.</p>}
      <div ref={body} class="packet-rows" role="rowgroup">
        {packets.map((packet) => {
          const fate = describeFate(packet);
          return (
            <div
              key={packet.seq}
              id={`packet-row-${packet.seq}`}
              data-seq={packet.seq}
              role="row"
              aria-selected={packet.seq === selected}
              class={`packet-row${packet.seq === selected ? " selected" : ""}${fate ? " dropped" : ""}`}
              onClick={() => onSelect(packet.seq)}
            >
              <span role="gridcell">{packet.seq}</span>
              <span role="gridcell">{showTime(packet.sentUs)}</span>
              <span role="gridcell">{hostName(names, packet.from)}</span>
              <span role="gridcell">{hostName(names, packet.to)}</span>
              <span role="gridcell">{packet.topProtocol.toUpperCase()}</span>
              <span role="gridcell">{packet.length}</span>
              <span role="gridcell" class="info">
                {fate && <strong class="fail">✕ {fate} · </strong>}
                {packet.summary}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
