import { isUtf8 } from "node:buffer";
import { PAYLOAD_CAP, type LivePayload, type WireMessage } from "@/lib/live/protocol";

/** Bytes → what a tab shows: text when it is UTF-8, else hex; cut at PAYLOAD_CAP bytes. */
export function toPayload(bytes: Buffer): LivePayload {
  const truncated = bytes.length > PAYLOAD_CAP;
  const head = truncated ? bytes.subarray(0, PAYLOAD_CAP) : bytes;
  // The hot path (every message sent): Buffer's native UTF-8 check, no decoder object.
  if (!truncated && isUtf8(head))
    return { encoding: "text", text: head.toString("utf8"), size: bytes.length, truncated };
  try {
    // A cut-off payload may end inside a character: a streaming decode allows that.
    const text = new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: truncated });
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
    private readonly encode: () => string,
    readonly bytes: number,
  ) {}

  get json(): string {
    this.encoded ??= this.encode();
    return this.encoded;
  }
}

/** JSON of a wire message, written directly: the hot path of the hub (the result equals JSON.stringify). */
export function encodeWire(message: WireMessage): string {
  const { payload } = message;
  return (
    `{"at":${message.at},"source":"${message.source}","channel":${JSON.stringify(message.channel)}` +
    (message.pattern === undefined ? "" : `,"pattern":${JSON.stringify(message.pattern)}`) +
    (message.entryId === undefined ? "" : `,"entryId":${JSON.stringify(message.entryId)}`) +
    `,"payload":{"encoding":"${payload.encoding}","text":${JSON.stringify(payload.text)},` +
    `"size":${payload.size},"truncated":${payload.truncated}}}`
  );
}

/** Per-message JSON overhead beyond channel and payload, for the byte estimate. */
export const MESSAGE_OVERHEAD_BYTES = 120;
