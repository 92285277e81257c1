// The rows of a long list that are in view, for a list whose rows all have one height (the packet
// list, the ladder): only those are drawn, each placed at its offset in the whole list. Where the
// view is comes from scroll events and a ResizeObserver, never from reading the layout while
// drawing, and a list that follows its end (a run streaming in) is drawn at its end and scrolled
// there with one write after the draw: the browser lays the page out once a frame, not again each
// time the scroll position is asked for. (TanStack Virtual, used before, asked for scrollHeight
// two or three times a frame while a run streamed in, each time after the page had changed: a
// layout each time, most of a frame's cost.)
import type { RefObject } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";

export interface RowWindowOptions {
  count: number;
  rowHeight: number;
  /** Space above the first row, inside the scrolling element (a header, lane names). */
  before: number;
  /** Space below the last row. */
  after: number;
  /** Rows drawn beyond the view, above and below. */
  overscan: number;
  /** A row drawn even out of view (the selected one, which aria-activedescendant names); -1: none. */
  keep: number;
  /** How much of the view's top a sticky header covers: a row scrolled to is not put under it. */
  covered?: number;
}

export interface RowWindow {
  /** The rows to draw, in order: index, and offset of the row's top in the whole list. */
  rows: { index: number; start: number }[];
  /** The height of the whole list, before and after included. */
  totalHeight: number;
  /** Scrolls as little as shows the row whole (`align: "auto"`). */
  scrollToIndex(index: number): void;
}

export function useRowWindow(
  scroller: RefObject<HTMLElement | null>,
  { count, rowHeight, before, after, overscan, keep, covered = 0 }: RowWindowOptions,
): RowWindow {
  // Where the view is; at the end, the list follows its end (scrolled up to read, it stays).
  const [view, setView] = useState({ scrollTop: 0, following: true });
  const [height, setHeight] = useState(0);
  // The offset last written to follow the end: its scroll event needs no new draw.
  const written = useRef(-1);
  const totalHeight = before + count * rowHeight + after;
  const end = Math.max(0, totalHeight - height);
  const top = view.following ? end : Math.min(view.scrollTop, end);
  const latest = useRef({ totalHeight, height });
  latest.current = { totalHeight, height };

  useLayoutEffect(() => {
    const element = scroller.current!;
    setHeight(element.clientHeight);
    const onScroll = () => {
      const now = element.scrollTop;
      setView((last) => {
        if (last.following && Math.abs(now - written.current) < 1) return last;
        const { totalHeight, height } = latest.current;
        const following = now >= totalHeight - height - 1;
        return last.scrollTop === now && last.following === following
          ? last
          : { scrollTop: now, following };
      });
    };
    element.addEventListener("scroll", onScroll, { passive: true });
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => {
      element.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, []);

  // Following: the end's rows are drawn already, the element is scrolled to them.
  useLayoutEffect(() => {
    const element = scroller.current!;
    if (view.following && Math.abs(element.scrollTop - top) >= 1) {
      element.scrollTop = top;
      written.current = top;
    }
  });

  // Following the end, nothing is below the view and the rows above it are replaced with every
  // batch that arrives: drawing the full overscan there doubled a streaming frame's work. One row
  // is kept; scrolled up, the list stops following and draws the full overscan again.
  const above = view.following ? Math.min(overscan, 1) : overscan;
  const first = Math.max(0, Math.floor((top - before) / rowHeight) - above);
  const last = Math.min(count - 1, Math.ceil((top + height - before) / rowHeight) + overscan);
  const rows: RowWindow["rows"] = [];
  const add = (index: number) => rows.push({ index, start: before + index * rowHeight });
  if (keep >= 0 && keep < first) add(keep);
  for (let index = first; index <= last; index++) add(index);
  if (keep > last && keep < count) add(keep);

  const scrollToIndex = (index: number) => {
    const element = scroller.current;
    if (!element || index < 0 || index >= count) return;
    const rowTop = before + index * rowHeight;
    const now = element.scrollTop;
    let next = now;
    if (rowTop < now + covered) next = rowTop - covered;
    else if (rowTop + rowHeight > now + element.clientHeight)
      next = rowTop + rowHeight - element.clientHeight;
    next = Math.max(0, Math.min(next, end));
    if (next === now) return;
    element.scrollTop = next;
    // Drawn in this frame, not when the scroll event comes.
    setView({ scrollTop: next, following: next >= end - 1 });
  };

  return { rows, totalHeight, scrollToIndex };
}
