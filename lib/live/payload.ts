import { PAYLOAD_CAP, type LivePayload, type WireMessage } from "@/lib/live/protocol";

// Runs once per message whatever the number of tabs, on the path every message takes.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes → what a tab shows: text when it is UTF-8, else hex; cut at PAYLOAD_CAP bytes. */
export function toPayload(bytes: Buffer): LivePayload {
  const truncated = bytes.length > PAYLOAD_CAP;
  const head = truncated ? bytes.subarray(0, PAYLOAD_CAP) : bytes;
  try {
    // A cut-off payload may end inside a character: a streaming decode allows that.
    const decoder = truncated ? new TextDecoder("utf-8", { fatal: true }) : strictUtf8;
    const text = decoder.decode(head, { stream: truncated });
    return { encoding: "text", text, size: bytes.length, truncated };
  } catch {
    return { encoding: "hex", text: head.toString("hex"), size: bytes.length, truncated };
  }
}

/**
 * A message shared by every tab that receives it, encoded at most once and only when a tab
 * actually sends it: under overload, slow tabs drop most messages, and those are never encoded.
 * `bytes` is an estimate known up front, for the tabs' queue bounds.
 */
export class SharedMessage {
  private encoded: string | null = null;

  constructor(
    private readonly build: () => WireMessage,
    readonly bytes: number,
  ) {}

  get json(): string {
    this.encoded ??= JSON.stringify(this.build());
    return this.encoded;
  }
}

/** Per-message JSON overhead beyond channel and payload, for the byte estimate. */
export const MESSAGE_OVERHEAD_BYTES = 120;
