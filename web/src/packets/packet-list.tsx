// Wireshark's packet list: one row per packet, keyboard first (↑ ↓ Home End PageUp PageDown move
// the selection and scroll it into view). Dropped packets say so in words and with ✕, never by
// colour alone. Only the rows in view are in the DOM (use-row-window.ts), plus the selected one,
// which aria-activedescendant names; aria-rowcount and aria-rowindex tell assistive technology
// where a row stands among all of them. The grid itself scrolls (under a sticky header), so the
// scrolling region is the element that has the keyboard. While a run streams in, the list
// follows its last packet unless the learner has scrolled up.
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Packet } from "../api/client.ts";
import {
  describeFate,
  hostName,
  indexOfPacket,
  moveSelection,
  showTime,
  type HostNames,
} from "./model.ts";
import { useRowWindow } from "./use-row-window.ts";

interface Props {
  packets: readonly Packet[];
  names: HostNames;
  selected: number | undefined;
  onSelect: (seq: number) => void;
}

// Every row is one line of a fixed height (styles.css), the header's too, so the header's height
// is every row's: only the header is measured (again when it changes, as when the text is
// zoomed), no row as it is drawn.
const ROW_ESTIMATE = 24;

export function PacketList({ packets, names, selected, onSelect }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const header = useRef<HTMLDivElement>(null);
  const [headerHeight, setHeaderHeight] = useState(0);
  useLayoutEffect(() => {
    const head = header.current!;
    const measure = () => setHeaderHeight(head.offsetHeight);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(head);
    return () => observer.disconnect();
  }, []);
  const rowHeight = headerHeight || ROW_ESTIMATE;
  const index = indexOfPacket(packets, selected);
  // At the end when packets arrive, stay at the end; scrolled up, stay put.
  const rows = useRowWindow(scroller, {
    count: packets.length,
    rowHeight,
    // The rows start below the header, which stays over them when they scroll.
    before: headerHeight,
    after: 0,
    covered: headerHeight,
    overscan: 10,
    keep: index,
  });

  // A selection made elsewhere (the keyboard, the ladder, a link from a check) is scrolled to.
  useLayoutEffect(() => {
    if (index >= 0) rows.scrollToIndex(index);
  }, [selected]);

  const onKeyDown = (event: KeyboardEvent) => {
    const view = (scroller.current?.clientHeight ?? 0) - headerHeight;
    const page = Math.max(1, Math.floor(view / rowHeight) - 1);
    const next = moveSelection(event.key, index, packets.length, page);
    if (next === undefined) return;
    event.preventDefault();
    onSelect(packets[next]!.seq);
  };

  return (
    <div
      ref={scroller}
      class="packet-list"
      role="grid"
      aria-label="Packets"
      aria-rowcount={packets.length + 1}
      tabIndex={0}
      aria-activedescendant={index < 0 ? undefined : `packet-row-${selected}`}
      onKeyDown={onKeyDown}
      onFocus={() => selected === undefined && packets[0] && onSelect(packets[0].seq)}
    >
      <div ref={header} role="row" class="packet-row head" aria-rowindex={1}>
        <span role="columnheader">No.</span>
        <span role="columnheader">Time</span>
        <span role="columnheader">Source</span>
        <span role="columnheader">Destination</span>
        <span role="columnheader">Protocol</span>
        <span role="columnheader">Length</span>
        <span role="columnheader">Info</span>
      </div>
      {packets.length === 0 && <p class="muted empty">No packets yet.</p>}
      <div role="rowgroup" class="packet-rows" style={{ height: rows.totalHeight - headerHeight }}>
        {rows.rows.map((item) => {
          const packet = packets[item.index]!;
          const fate = describeFate(packet);
          return (
            <div
              key={packet.seq}
              id={`packet-row-${packet.seq}`}
              data-seq={packet.seq}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={packet.seq === selected}
              class={`packet-row${packet.seq === selected ? " selected" : ""}${fate ? " dropped" : ""}`}
              // `top`, not a transform: a transformed row is a paint layer of its own, and a
              // streaming run brings ~20 new rows a frame (CPU ÷4: a fifth of the main thread).
              style={{ top: item.start - headerHeight }}
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
