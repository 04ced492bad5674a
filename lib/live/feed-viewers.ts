import "server-only";
import type { ErrorTranslator } from "@/lib/errors";

// The tabs watching one polled feed (a range of hit rates, a slow-log length): the reader encodes
// its figures once and hands the same text to each; a tab that already has it is skipped, and one
// that was not reading (its send refused) gets it with the next push, even if nothing changed.

/** Sends one already-encoded event to the tab; false when the tab is not reading (it is dropped). */
export type SendEvent = (event: string, json: string) => boolean;

export interface FeedViewer {
  send: SendEvent;
  /** Errors in the tab's language. */
  translate: ErrorTranslator;
  /** The text this tab last received, to skip sending it again. */
  sent?: string;
}

export class FeedViewers {
  private readonly viewers = new Set<FeedViewer>();
  /** The newest encoding, for a tab that joins between reads. */
  private latest: string | undefined;

  constructor(private readonly event: string) {}

  get size(): number {
    return this.viewers.size;
  }

  /** Adds a tab; it gets the newest figures at once if there are any. Returns whether there were. */
  add(viewer: FeedViewer): boolean {
    this.viewers.add(viewer);
    if (this.latest === undefined) return false;
    this.deliver(viewer, this.latest);
    return true;
  }

  remove(viewer: FeedViewer): void {
    this.viewers.delete(viewer);
  }

  /** New figures, encoded once for every tab. */
  push(json: string): void {
    this.latest = json;
    for (const viewer of this.viewers) this.deliver(viewer, json);
  }

  /** A failed read, said in each tab's language; the next figures go to every tab again. */
  fail(encode: (translate: ErrorTranslator) => string): void {
    for (const viewer of this.viewers) {
      viewer.sent = undefined;
      viewer.send(this.event, encode(viewer.translate));
    }
  }

  private deliver(viewer: FeedViewer, json: string): void {
    if (viewer.sent === json) return;
    if (viewer.send(this.event, json)) viewer.sent = json;
  }
}
