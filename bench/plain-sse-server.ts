// The floor for the live-data benchmarks (bench/live.ts): a plain node:http SSE server fanning one
// ioredis subscriber out to every client. Each message is written to every client as soon as it
// arrives, unbatched and with no bound on what waits in a slow client's socket buffer: that is
// the point of the comparison. Run as its own process:
//   BENCH_REDIS_URL=redis://… BENCH_CHANNEL=… node --import tsx bench/plain-sse-server.ts
// Prints its port on stdout once listening; GET /sse streams; GET /rss reports its memory
// and how many messages its subscriber received.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Redis from "ioredis";

const redisUrl = process.env.BENCH_REDIS_URL;
const channel = process.env.BENCH_CHANNEL ?? "bench_plain";
if (!redisUrl) throw new Error("BENCH_REDIS_URL is required");

const clients = new Set<http.ServerResponse>();
let received = 0;
const subscriber = new Redis(redisUrl, { protocol: 2, connectionName: "bench-plain:subscriber" });
subscriber.on("error", () => undefined);
subscriber.on("messageBuffer", (_channel: Buffer, payload: Buffer) => {
  received += 1;
  const frame = Buffer.concat([Buffer.from("data: "), payload, Buffer.from("\n\n")]);
  for (const response of clients) response.write(frame);
});

const server = http.createServer((request, response) => {
  if (request.url === "/rss") {
    response.writeHead(200, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ rss: process.memoryUsage.rss(), received }));
    return;
  }
  if (request.url !== "/sse") {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache, no-transform",
    Connection: "keep-alive",
  });
  response.flushHeaders();
  clients.add(response);
  const forget = () => clients.delete(response);
  request.on("close", forget);
  response.on("error", forget);
});

async function main(): Promise<void> {
  await subscriber.subscribe(channel);
  server.listen(0, "127.0.0.1", () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  });
}

function stop(): void {
  for (const response of clients) response.destroy();
  subscriber.disconnect();
  server.close();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
