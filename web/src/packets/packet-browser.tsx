// The three linked views and the ladder over one run's packets, with one selection: a packet
// (list, ladder) and a field of it (tree, bytes). Picking a packet keeps the same field when it
// has one, so stepping through packets compares like with like. The selection is the browser's
// own unless the caller passes `selected` (then the caller keeps it, and learns of changes
// through `onSelect`): a check's "see packet 3" link selects a packet and field from outside.
import { useState } from "preact/hooks";
import type { Packet } from "../api/client.ts";
import { FieldTree } from "./field-tree.tsx";
import { HexDump } from "./hex-dump.tsx";
import { Ladder } from "./ladder.tsx";
import { findField, indexOfPacket, type HostNames } from "./model.ts";
import { PacketList } from "./packet-list.tsx";

/** A packet by its seq, and a field of it by its key in the tree ("1.2": layer, then index). */
export interface PacketSelection {
  seq?: number | undefined;
  field?: string | undefined;
}

interface Props {
  packets: readonly Packet[];
  names: HostNames;
  selected?: PacketSelection;
  onSelect?: (selection: PacketSelection) => void;
}

export function PacketBrowser({ packets, names, selected, onSelect }: Props) {
  const [own, setOwn] = useState<PacketSelection>({});
  const { seq, field } = selected ?? own;
  const [hovered, setHovered] = useState<string>();
  const [view, setView] = useState<"list" | "ladder">("list");
  const packet = packets[indexOfPacket(packets, seq)];

  const select = (next: PacketSelection) => {
    if (!selected) setOwn(next);
    onSelect?.(next);
  };
  const selectPacket = (next: number) => {
    const nextPacket = packets[indexOfPacket(packets, next)];
    select({ seq: next, field: nextPacket && findField(nextPacket, field) ? field : undefined });
  };
  const setField = (next: string | undefined) => select({ seq, field: next });

  return (
    <section class="packet-browser" aria-label="Packets of the run">
      <div class="view-switch" role="group" aria-label="Packet view">
        <button
          type="button"
          class={view === "list" ? "" : "secondary"}
          aria-pressed={view === "list"}
          onClick={() => setView("list")}
        >
          Packet list
        </button>
        <button
          type="button"
          class={view === "ladder" ? "" : "secondary"}
          aria-pressed={view === "ladder"}
          onClick={() => setView("ladder")}
        >
          Ladder diagram
        </button>
        <span class="muted">
          {packets.length} packet{packets.length === 1 ? "" : "s"}
        </span>
      </div>
      {view === "list" ? (
        <PacketList packets={packets} names={names} selected={seq} onSelect={selectPacket} />
      ) : (
        <Ladder packets={packets} names={names} selected={seq} onSelect={selectPacket} />
      )}
      {packet ? (
        <div class="packet-detail">
          <FieldTree packet={packet} selected={field} onSelect={setField} onHover={setHovered} />
          <HexDump
            packet={packet}
            selected={field}
            hovered={hovered}
            onSelect={setField}
            onHover={setHovered}
          />
        </div>
      ) : (
        packets.length > 0 && <p class="muted">Select a packet to see its fields and bytes.</p>
      )}
    </section>
  );
}
