/**
 * A fixed-capacity ring of points in time order: once full, each push overwrites the oldest in
 * O(1), so a sampler that runs for days holds a constant amount of memory.
 */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    this.items[(this.head + this.count) % this.capacity] = item;
    if (this.count < this.capacity) this.count += 1;
    else this.head = (this.head + 1) % this.capacity;
  }

  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.head + this.count - 1) % this.capacity];
  }

  /** The newest `n`, oldest first. */
  tail(n: number): T[] {
    const size = Math.min(n, this.count);
    const out = new Array<T>(size);
    for (let i = 0; i < size; i++) out[i] = this.items[(this.head + this.count - size + i) % this.capacity]!;
    return out;
  }

  /** Oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.head + i) % this.capacity]!;
    return out;
  }
}
