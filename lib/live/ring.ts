import type { SharedMessage } from "@/lib/live/payload";

/**
 * A tab's queue: a fixed ring bounded in count and bytes. Full, it drops the oldest in O(1) and
 * allocates nothing, so a tab that stopped reading costs neither time nor garbage per message.
 */
export class MessageRing {
  private readonly items: (SharedMessage | undefined)[];
  private head = 0;
  length = 0;
  bytes = 0;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number,
  ) {
    this.items = new Array<SharedMessage | undefined>(capacity);
  }

  /** Adds a message; returns how many of the oldest were dropped to make room for it. */
  push(message: SharedMessage): number {
    let dropped = 0;
    if (this.length === this.capacity) {
      this.shift();
      dropped += 1;
    }
    this.items[(this.head + this.length) % this.capacity] = message;
    this.length += 1;
    this.bytes += message.bytes;
    while (this.bytes > this.maxBytes && this.length > 1) {
      this.shift();
      dropped += 1;
    }
    return dropped;
  }

  /** The i-th oldest message (0 = oldest). */
  at(index: number): SharedMessage {
    return this.items[(this.head + index) % this.capacity]!;
  }

  shift(): SharedMessage {
    const message = this.items[this.head]!;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.length -= 1;
    this.bytes -= message.bytes;
    return message;
  }

  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.length = 0;
    this.bytes = 0;
  }
}
