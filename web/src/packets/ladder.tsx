// A ladder (sequence) diagram: one lane per host, one arrow per packet in the order they left,
// with the virtual time at the left. A dropped packet stops halfway at ✕ with its reason. It
// shares the selection with the packet list: click an arrow, or move with the list's keys.
// The drawing is as tall as all the arrows, but only those in view are drawn (use-row-window.ts,
// as the list), so a 1,000-packet run scrolls; like the list, it follows a streaming run's last
// packet unless scrolled up.
import { useLayoutEffect, useRef } from "preact/hooks";
import type { Packet } from "../api/client.ts";
import { hostName, indexOfPacket, moveSelection, showTime, type HostNames } from "./model.ts";
import { useRowWindow } from "./use-row-window.ts";

interface Props {
  packets: readonly Packet[];
  names: HostNames;
  selected: number | undefined;
  onSelect: (seq: number) => void;
}

const ROW = 30;
const TOP = 36;
const BOTTOM = 10;
const LEFT = 90;
const LANE = 190;

export function Ladder({ packets, names, selected, onSelect }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const index = indexOfPacket(packets, selected);
  const arrows = useRowWindow(scroller, {
    count: packets.length,
    rowHeight: ROW,
    before: TOP,
    after: BOTTOM,
    overscan: 10,
    keep: index,
  });
  useLayoutEffect(() => {
    if (index >= 0) arrows.scrollToIndex(index);
  }, [selected]);

  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / ROW) - 1);
    const next = moveSelection(event.key, index, packets.length, page);
    if (next === undefined) return;
    event.preventDefault();
    onSelect(packets[next]!.seq);
  };

  const hosts = useLanes(packets);
  const x = (host: string) => LEFT + hosts.indexOf(host) * LANE + LANE / 2;
  const width = LEFT + hosts.length * LANE;
  const height = arrows.totalHeight;

  return (
    <div
      ref={scroller}
      class="ladder-scroll"
      role="region"
      aria-label="Ladder diagram"
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <figure class="ladder">
        <figcaption class="visually-hidden">
          Sequence diagram of {packets.length} packets between{" "}
          {hosts.map((h) => hostName(names, h)).join(", ")}
        </figcaption>
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
          {hosts.map((host) => (
            <g key={host}>
              <text x={x(host)} y={16} text-anchor="middle" class="lane-name">
                {hostName(names, host)}
              </text>
              <line x1={x(host)} x2={x(host)} y1={24} y2={height} class="lane" />
            </g>
          ))}
          {arrows.rows.map((item) => {
            const packet = packets[item.index]!;
            const y = item.start + ROW / 2;
            const from = x(packet.from);
            const to = x(packet.to);
            const dropped = packet.fate.status === "dropped";
            const end = dropped ? (from + to) / 2 : to;
            const direction = Math.sign(to - from) || 1;
            const isSelected = packet.seq === selected;
            return (
              <g
                key={packet.seq}
                class={`arrow${isSelected ? " selected" : ""}${dropped ? " dropped" : ""}`}
                data-seq={packet.seq}
                onClick={() => onSelect(packet.seq)}
              >
                <rect x={0} y={item.start} width={width} height={ROW} class="hit" />
                <text x={6} y={y + 4} class="time">
                  {showTime(packet.sentUs)}
                </text>
                <line x1={from} x2={end} y1={y} y2={y} />
                {dropped ? (
                  <text x={end} y={y + 5} text-anchor="middle" class="cross">
                    ✕
                  </text>
                ) : (
                  <path d={`M${end} ${y} l${-8 * direction} -5 v10 z`} class="head" />
                )}
                <text x={(from + end) / 2} y={y - 5} text-anchor="middle" class="label">
                  {packet.seq} {packet.topProtocol.toUpperCase()} {packet.length} B
                  {packet.fate.status === "dropped" ? ` ✕ ${packet.fate.reason}` : ""}
                </text>
              </g>
            );
          })}
        </svg>
      </figure>
    </div>
  );
}

/**
 * The lanes, in the order their hosts first appear (the learner's first). A streaming run's
 * packets are appended to one array, so each draw looks only at the packets new since the last.
 */
function useLanes(packets: readonly Packet[]): string[] {
  const seen = useRef<{ packets: readonly Packet[]; count: number; hosts: string[] }>(undefined);
  let lanes = seen.current;
  if (!lanes || lanes.packets !== packets || lanes.count > packets.length) {
    lanes = { packets, count: 0, hosts: ["learner"] };
    seen.current = lanes;
  }
  for (; lanes.count < packets.length; lanes.count++) {
    const packet = packets[lanes.count]!;
    for (const host of [packet.from, packet.to]) {
      if (!lanes.hosts.includes(host)) lanes.hosts = [...lanes.hosts, host];
    }
  }
  return lanes.hosts;
}
