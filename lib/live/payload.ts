import { PAYLOAD_CAP, type LivePayload } from "@/lib/live/protocol";

/** Bytes → what a tab shows: text when it is UTF-8, else hex; cut at PAYLOAD_CAP bytes. */
export function toPayload(bytes: Buffer): LivePayload {
  const truncated = bytes.length > PAYLOAD_CAP;
  const head = truncated ? bytes.subarray(0, PAYLOAD_CAP) : bytes;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: truncated });
    return { encoding: "text", text, size: bytes.length, truncated };
  } catch {
    return { encoding: "hex", text: head.toString("hex"), size: bytes.length, truncated };
  }
}
