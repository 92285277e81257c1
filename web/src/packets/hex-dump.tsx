// The packet's bytes, 16 to a row with offsets and ASCII, beside the tree: the selected field's
// bytes are highlighted (and outlined, not only coloured), hovering a byte lights up the field it
// belongs to, clicking or moving the byte cursor with the arrow keys selects that field.
import { useMemo, useState } from "preact/hooks";
import type { Packet } from "../api/client.ts";
import { fieldAtByte, findField, packetBytes, showValue } from "./model.ts";

interface Props {
  packet: Packet;
  selected: string | undefined;
  hovered: string | undefined;
  onSelect: (key: string) => void;
  onHover: (key: string | undefined) => void;
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

export function HexDump({ packet, selected, hovered, onSelect, onHover }: Props) {
  const bytes = useMemo(() => packetBytes(packet), [packet]);
  const [cursor, setCursor] = useState(0);
  const chosen = findField(packet, selected);
  const lit = findField(packet, hovered);
  const inRange = (range: { start: number; end: number } | undefined, i: number) =>
    range !== undefined && i >= range.start && i < range.end;

  const moveTo = (i: number) => {
    const next = Math.max(0, Math.min(bytes.length - 1, i));
    setCursor(next);
    const field = fieldAtByte(packet, next);
    if (field) onSelect(field.key);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const at = chosen && !inRange(chosen, cursor) ? chosen.start : cursor;
    const moves: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      ArrowDown: at + 16,
      ArrowUp: at - 16,
      Home: 0,
      End: bytes.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    moveTo(next);
  };

  const rows = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const cells = [];
    const ascii = [];
    for (let i = offset; i < Math.min(offset + 16, bytes.length); i++) {
      const cls = `${inRange(chosen, i) ? " hl" : ""}${inRange(lit, i) ? " hover" : ""}`;
      const byte = bytes[i]!;
      const events = {
        onMouseEnter: () => onHover(fieldAtByte(packet, i)?.key),
        onClick: () => moveTo(i),
      };
      cells.push(
        <span key={i} class={`byte${cls}`} data-offset={i} {...events}>
          {hex2(byte)}
        </span>,
      );
      ascii.push(
        <span key={i} class={`char${cls}`} {...events}>
          {byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : "."}
        </span>,
      );
    }
    rows.push(
      <div key={offset} class="hex-row">
        <span class="offset">{offset.toString(16).padStart(4, "0")}</span>
        <span class="bytes">{cells}</span>
        <span class="ascii">{ascii}</span>
      </div>,
    );
  }

  return (
    <div class="hex-pane">
      <div
        class="hex-dump"
        role="group"
        aria-label={`Bytes of packet ${packet.seq}; arrow keys move through them`}
        aria-describedby="hex-status"
        tabIndex={0}
        onKeyDown={onKeyDown}
        onMouseLeave={() => onHover(undefined)}
      >
        {rows}
      </div>
      <p id="hex-status" class="hex-status" aria-live="polite">
        {chosen
          ? `${chosen.field.title} = ${showValue(chosen.field)} · bytes ${chosen.start}–${chosen.end - 1}: ${Array.from(
              bytes.subarray(chosen.start, chosen.end),
              hex2,
            ).join(" ")}`
          : "Select a field to see its bytes."}
      </p>
    </div>
  );
}
