// What a dissector must remember across packets to show TCP as Wireshark does: each direction's
// initial sequence number (for relative sequence numbers) and window scale (RFC 7323 §2.2).
// One tracker per trace; packets are fed in capture order.

export interface TcpDirection {
  /** The sequence number that shows as relative 0 (the ISN), once known. */
  base: number | null;
  /** Window scale shift (≥ 0); -1 unknown (no SYN seen); -2 not in use. */
  scale: number;
  /** The sequence number after the highest byte (or SYN/FIN) this side has sent, once seen. */
  nextSeq: number | null;
  /** This side's last pure ACK: its acknowledgment number and window (duplicate-ACK test). */
  lastAck: number | null;
  lastWindow: number;
  duplicateAcks: number;
}

export interface TcpConversation {
  /** Per sending endpoint, "address:port". */
  directions: Map<string, TcpDirection>;
}

export interface TcpConversations {
  /** The directions of the segment from `from` to `to`, created on first sight. */
  directions(from: string, to: string): { sender: TcpDirection; receiver: TcpDirection };
}

/** Conversations are keyed by both endpoints; at most this many are remembered. */
const MAX_CONVERSATIONS = 4096;

export function createTcpConversations(): TcpConversations {
  const conversations = new Map<string, TcpConversation>();
  return {
    directions(from, to) {
      const key = from < to ? `${from}|${to}` : `${to}|${from}`;
      let conversation = conversations.get(key);
      if (!conversation) {
        // A long trace of distinct conversations must not grow without bound: forget the oldest.
        if (conversations.size >= MAX_CONVERSATIONS) {
          conversations.delete(conversations.keys().next().value!);
        }
        conversation = { directions: new Map() };
        conversations.set(key, conversation);
      }
      return {
        sender: direction(conversation, from),
        receiver: direction(conversation, to),
      };
    },
  };
}

function direction(conversation: TcpConversation, endpoint: string): TcpDirection {
  let found = conversation.directions.get(endpoint);
  if (!found) {
    found = {
      base: null,
      scale: -1,
      nextSeq: null,
      lastAck: null,
      lastWindow: -1,
      duplicateAcks: 0,
    };
    conversation.directions.set(endpoint, found);
  }
  return found;
}
