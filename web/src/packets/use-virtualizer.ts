// Preact's binding of TanStack Virtual's framework-free core. TanStack ships bindings for React,
// Vue, Solid, Svelte, Angular and Lit but not Preact, and its React one would pull preact/compat
// into the bundle; this does what that one does: one Virtualizer per component, the options set
// on every render, a render again when the virtualizer's window or sizes change.
import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  Virtualizer,
  type PartialKeys,
  type VirtualizerOptions,
} from "@tanstack/virtual-core";
import { useLayoutEffect, useReducer, useState } from "preact/hooks";

export type VirtualOptions<Scroll extends Element, Item extends Element> = PartialKeys<
  VirtualizerOptions<Scroll, Item>,
  "observeElementRect" | "observeElementOffset" | "scrollToFn"
>;

export function useVirtualizer<Scroll extends Element, Item extends Element>(
  options: VirtualOptions<Scroll, Item>,
): Virtualizer<Scroll, Item> {
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const resolved: VirtualizerOptions<Scroll, Item> = {
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    ...options,
    onChange: (instance, sync) => {
      // Preact renders again in a microtask, so a scroll's new rows are drawn before the paint.
      rerender(undefined);
      options.onChange?.(instance, sync);
    },
  };
  const [virtualizer] = useState(() => new Virtualizer(resolved));
  virtualizer.setOptions(resolved);
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => virtualizer._willUpdate());
  return virtualizer;
}

/** The rows in view plus `keep` (the selected row) when it is not, so it stays in the DOM. */
export function withIndex(indexes: number[], keep: number): number[] {
  if (keep < 0 || indexes.includes(keep)) return indexes;
  return [...indexes, keep].sort((a, b) => a - b);
}
