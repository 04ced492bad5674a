// The physical floor of `npm run bench` (issue 15): a bare node:http server, one ioredis client, the
// same Redis work and JSON as the framework floor's route handlers (bench/floor/work.ts). Started by
// bench/floors.ts as a process of its own, as the console and the Next floor are:
//   PORT=… REDIS_URL=… node --import tsx --conditions=react-server bench/floor/http-server.ts
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { fieldPage, floorClient, health, keysFirstPage, overview } from "@/bench/floor/work";
import { compareAndSet, modelsFirstPage, type EditRequest } from "@/bench/floor/work-models";

const FIELDS = /^\/api\/models\/([A-Za-z0-9_-]*)\/fields$/;

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

/** The body for a request, or undefined for a path the floor does not serve. */
async function answer(request: IncomingMessage): Promise<unknown> {
  const url = new URL(request.url ?? "/", "http://floor");
  const client = floorClient();
  const number = (name: string) => Number(url.searchParams.get(name) ?? 100);
  if (request.method === "POST" && url.pathname === "/api/models/edit") {
    const [edit] = (await readJson(request)) as EditRequest[];
    return compareAndSet(client, edit!);
  }
  if (url.pathname === "/api/health") return health(client);
  if (url.pathname === "/api/overview") return overview(client);
  if (url.pathname === "/api/keys") return keysFirstPage(client, number("limit"));
  if (url.pathname === "/api/models") return modelsFirstPage(client);
  const fields = FIELDS.exec(url.pathname);
  if (fields) return fieldPage(client, fields[1]!, number("count"));
  return undefined;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  response.end(JSON.stringify(body));
}

const server = createServer((request, response) => {
  answer(request).then(
    (body) => (body === undefined ? send(response, 404, { ok: false }) : send(response, 200, body)),
    (error: unknown) => send(response, 500, { ok: false, error: String(error) }),
  );
});
server.listen(Number(process.env.PORT), process.env.HOSTNAME ?? "127.0.0.1");
process.once("SIGTERM", () => {
  server.close();
  floorClient().disconnect();
  process.exit(0);
});
