// The selected packet's fields as a tree, one branch per layer, the way Wireshark's details
// pane shows them: title, value (decimal, hex, meaning), bit range, and the bits themselves for
// fields that do not fill whole bytes. ↑ ↓ move, → opens, ← closes or goes to the parent.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Field, Layer, Packet } from "../api/client.ts";
import { bitPattern, bitRange, showValue } from "./model.ts";

interface Props {
  packet: Packet;
  selected: string | undefined;
  onSelect: (key: string) => void;
  onHover: (key: string | undefined) => void;
}

interface Item {
  key: string;
  level: number;
  parent: string | undefined;
  hasChildren: boolean;
  layer?: Layer;
  field?: Field;
}

function checksumNote(layer: Layer): string {
  if (layer.checksum === "invalid") return "✕ bad checksum";
  if (layer.checksum === "valid") return "✓ checksum valid";
  return "";
}

export function FieldTree({ packet, selected, onSelect, onHover }: Props) {
  const [closed, setClosed] = useState<Set<string>>(() => new Set());
  const items = useMemo(() => {
    const list: Item[] = [];
    const walk = (fields: Field[], prefix: string, level: number) =>
      fields.forEach((field, index) => {
        const key = `${prefix}.${index}`;
        const hasChildren = Boolean(field.children?.length);
        list.push({ key, level, parent: prefix, hasChildren, field });
        if (hasChildren && !closed.has(key)) walk(field.children!, key, level + 1);
      });
    packet.layers.forEach((layer, index) => {
      const key = String(index);
      list.push({ key, level: 1, parent: undefined, hasChildren: true, layer });
      if (!closed.has(key)) walk(layer.fields, key, 2);
    });
    return list;
  }, [packet, closed]);

  const toggle = (key: string, open: boolean) =>
    setClosed((now) => {
      const next = new Set(now);
      if (open) next.delete(key);
      else next.add(key);
      return next;
    });

  const current = items.findIndex((item) => item.key === selected);
  // The tree scrolls on its own: keep the selected field in sight, whoever selected it (the
  // arrows here, a byte, or a check's link to it).
  const tree = useRef<HTMLUListElement>(null);
  useEffect(() => {
    tree.current?.querySelector(`[id="field-${selected}"]`)?.scrollIntoView({ block: "nearest" });
  }, [selected, packet]);
  const onKeyDown = (event: KeyboardEvent) => {
    const item = items[current];
    let next: string | undefined;
    switch (event.key) {
      case "ArrowDown":
        next = items[Math.min(items.length - 1, current + 1)]?.key;
        break;
      case "ArrowUp":
        next = items[Math.max(0, current - 1)]?.key;
        break;
      case "Home":
        next = items[0]?.key;
        break;
      case "End":
        next = items[items.length - 1]?.key;
        break;
      case "ArrowRight":
        if (item?.hasChildren && closed.has(item.key)) toggle(item.key, true);
        else if (item?.hasChildren) next = items[current + 1]?.key;
        break;
      case "ArrowLeft":
        if (item?.hasChildren && !closed.has(item.key)) toggle(item.key, false);
        else next = item?.parent;
        break;
      default:
        return;
    }
    event.preventDefault();
    if (next !== undefined) onSelect(next);
  };

  return (
    <ul
      ref={tree}
      class="field-tree"
      role="tree"
      aria-label={`Fields of packet ${packet.seq}`}
      tabIndex={0}
      aria-activedescendant={current >= 0 ? `field-${selected}` : undefined}
      onKeyDown={onKeyDown}
      onFocus={() => current < 0 && items[0] && onSelect(items[0].key)}
      onMouseLeave={() => onHover(undefined)}
    >
      {items.map((item) => (
        <li
          key={item.key}
          id={`field-${item.key}`}
          role="treeitem"
          aria-level={item.level}
          aria-selected={item.key === selected}
          aria-expanded={item.hasChildren ? !closed.has(item.key) : undefined}
          class={`tree-item${item.key === selected ? " selected" : ""}${item.layer ? " layer" : ""}`}
          style={{ paddingLeft: `${(item.level - 1) * 1.1 + 0.3}rem` }}
          onClick={() => onSelect(item.key)}
          onMouseEnter={() => onHover(item.key)}
        >
          {item.hasChildren && (
            <button
              type="button"
              class="twisty"
              tabIndex={-1}
              aria-hidden="true"
              onClick={(event) => {
                event.stopPropagation();
                toggle(item.key, closed.has(item.key));
              }}
            >
              {closed.has(item.key) ? "▸" : "▾"}
            </button>
          )}
          {item.layer ? (
            <LayerLine layer={item.layer} />
          ) : (
            <FieldLine packet={packet} field={item.field!} />
          )}
        </li>
      ))}
    </ul>
  );
}

function LayerLine({ layer }: { layer: Layer }) {
  const note = checksumNote(layer);
  return (
    <span>
      <strong>{layer.title}</strong>
      {layer.quoted && <em> (quoted from the packet that failed)</em>}
      <span class="muted">, {layer.summary}</span>
      {note && <span class={layer.checksum === "invalid" ? " fail" : " pass"}> {note}</span>}
      {layer.errors.map((error) => (
        <span key={error} class="fail">
          {" "}
          ✕ {error}
        </span>
      ))}
    </span>
  );
}

function FieldLine({ packet, field }: { packet: Packet; field: Field }) {
  const bits = bitPattern(packet, field);
  const bad = field.display?.endsWith("(invalid)") ?? false;
  return (
    <span>
      {bits && <code class="bits">{bits} </code>}
      <span class="field-title">{field.title}</span>:{" "}
      <span class="field-value">{showValue(field)}</span>
      {bad && <span class="fail"> ✕ bad checksum (the layer says what it should be)</span>}
      <span class="muted bit-range"> · {bitRange(field)}</span>
    </span>
  );
}
