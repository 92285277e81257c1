// The three linked views and the ladder over one run's packets, with one selection: a packet
// (list, ladder) and a field of it (tree, bytes). Picking a packet keeps the same field when it
// has one, so stepping through packets compares like with like.
import { useState } from "preact/hooks";
import type { Packet } from "../api/client.ts";
import { FieldTree } from "./field-tree.tsx";
import { HexDump } from "./hex-dump.tsx";
import { Ladder } from "./ladder.tsx";
import { findField, type HostNames } from "./model.ts";
import { PacketList } from "./packet-list.tsx";

interface Props {
  packets: Packet[];
  names: HostNames;
}

export function PacketBrowser({ packets, names }: Props) {
  const [seq, setSeq] = useState<number>();
  const [field, setField] = useState<string>();
  const [hovered, setHovered] = useState<string>();
  const [view, setView] = useState<"list" | "ladder">("list");
  const packet = packets.find((p) => p.seq === seq);

  const selectPacket = (next: number) => {
    setSeq(next);
    const nextPacket = packets.find((p) => p.seq === next);
    if (nextPacket && !findField(nextPacket, field)) setField(undefined);
  };

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
        <div class="ladder-scroll">
          <Ladder packets={packets} names={names} selected={seq} onSelect={selectPacket} />
        </div>
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
