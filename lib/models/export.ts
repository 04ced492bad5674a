import "server-only";
import { assertHash } from "@/lib/models/fields";
import { csvCell, encodeName, jsonValue, type TransferFormat } from "@/lib/models/transfer";
import { withClient } from "@/lib/redis/gate";

// Export streams the hash out page by page (HSCAN COUNT 1000), pulled by the download itself,
// so a 100,000-field model never sits whole in memory. Each page goes through the gate on its
// own: the download may outlast a reconnect, and a failure mid-way ends it with a mapped error.

export async function exportModel(
  connectionId: string,
  key: Buffer,
  format: TransferFormat,
): Promise<ReadableStream<Uint8Array>> {
  assertHash(await withClient(connectionId, (client) => client.type(key)), key);
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
        const [next, flat] = (await withClient(connectionId, (client) =>
          client.callBuffer("HSCAN", key, cursor, "COUNT", 1_000),
        )) as [Buffer, Buffer[]];
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
        controller.error(error);
      }
    },
  });
}
