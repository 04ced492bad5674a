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

/** A message encoded once for every tab that receives it. */
export interface SharedMessage {
  json: string;
  bytes: number;
}

export function shareMessage(message: WireMessage): SharedMessage {
  const json = JSON.stringify(message);
  return { json, bytes: json.length };
}
