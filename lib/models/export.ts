import "server-only";
import { assertHash } from "@/lib/models/fields";
import { csvCell, encodeName, jsonValue, type TransferFormat } from "@/lib/models/transfer";
import { toAppError } from "@/lib/redis/errors";
import { findConnection, readyClient } from "@/lib/redis/registry";

// Export streams the hash out page by page (HSCAN COUNT 1000), pulled by the download itself,
// so a 100,000-field model never sits whole in memory.

export async function exportModel(
  connectionId: string,
  key: Buffer,
  format: TransferFormat,
): Promise<ReadableStream<Uint8Array>> {
  const config = findConnection(connectionId);
  const client = await readyClient(connectionId).catch((error: unknown) => {
    throw toAppError(error, config.name);
  });
  assertHash(
    await client.type(key).catch((error: unknown) => Promise.reject(toAppError(error, config.name))),
    key,
  );
  const encoder = new TextEncoder();
  let cursor = "0";
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(format === "json" ? "{" : "field,value\r\n"));
    },
    async pull(controller) {
      if (done) return;
      try {
        const [next, flat] = (await client.callBuffer("HSCAN", key, cursor, "COUNT", 1_000)) as [
          Buffer,
          Buffer[],
        ];
        let chunk = "";
        for (let i = 0; i + 1 < flat.length; i += 2) {
          if (format === "json") {
            chunk += `${first ? "\n" : ",\n"}  ${JSON.stringify(encodeName(flat[i]!))}: ${JSON.stringify(jsonValue(flat[i + 1]!))}`;
          } else {
            chunk += `${csvCell(flat[i]!)},${csvCell(flat[i + 1]!)}\r\n`;
          }
          first = false;
        }
        cursor = next.toString();
        if (cursor === "0") {
          done = true;
          if (format === "json") chunk += "\n}\n";
        }
        if (chunk) controller.enqueue(encoder.encode(chunk));
        if (done) controller.close();
      } catch (error) {
        controller.error(toAppError(error, config.name));
      }
    },
  });
}
