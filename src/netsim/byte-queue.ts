// A FIFO of bytes: appended at the end, consumed from the front, read anywhere in between. TCP's
// send buffer (bytes not yet acknowledged) and receive buffer (bytes not yet read) are both this.

export class ByteQueue {
  #bytes = new Uint8Array(256);
  #head = 0;
  #tail = 0;

  get length(): number {
    return this.#tail - this.#head;
  }

  append(data: Uint8Array): void {
    if (this.#tail + data.length > this.#bytes.length) {
      const length = this.length;
      const needed = length + data.length;
      // Compact in place when that makes room, else grow to twice what is needed.
      const target =
        needed <= this.#bytes.length / 2 ? this.#bytes : new Uint8Array(Math.max(256, 2 * needed));
      target.set(this.#bytes.subarray(this.#head, this.#tail), 0);
      this.#bytes = target;
      this.#head = 0;
      this.#tail = length;
    }
    this.#bytes.set(data, this.#tail);
    this.#tail += data.length;
  }

  /** A copy of `length` bytes starting `from` bytes after the front. */
  slice(from: number, length: number): Uint8Array {
    const start = this.#head + from;
    return this.#bytes.slice(start, Math.min(start + length, this.#tail));
  }

  /** Removes and returns up to `length` bytes from the front. */
  take(length: number): Uint8Array {
    const taken = this.slice(0, length);
    this.drop(taken.length);
    return taken;
  }

  drop(length: number): void {
    this.#head = Math.min(this.#tail, this.#head + Math.max(0, length));
    if (this.#head === this.#tail) {
      this.#head = 0;
      this.#tail = 0;
    }
  }
}
