import "server-only";
import { AppError } from "@/lib/errors";
import { formatLimit } from "@/lib/request/limits";

// Request bodies are read up to a stated limit (DESIGN.md contract 8): a declared length over it
// is refused before a byte is read; a body that grows past it while streaming is cut off there
// (the rest is never buffered) and refused the same way.

export function tooLarge(limit: number): AppError {
  return AppError.of("PAYLOAD_TOO_LARGE", "bodyTooLarge", { limit: formatLimit(limit) });
}

export async function readBodyText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
