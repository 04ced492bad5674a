// Requests made the way an attacker makes them: raw HTTP, every header named, from any loopback
// address (the console counts sign-in failures per address, so a test that trips the limit uses
// an address of its own and leaves 127.0.0.1 alone for the others).
import http from "node:http";
import { readFileSync } from "node:fs";

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function rawRequest(options: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  from?: string;
}): Promise<RawAnswer> {
  const port = Number(process.env.E2E_PORT);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
        localAddress: options.from,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

export const baseOrigin = () => `http://127.0.0.1:${process.env.E2E_PORT}`;

interface ManifestEntry {
  filename: string;
  exportedName: string;
  workers: Record<string, unknown>;
}

/** A server action's id and the page that serves it, from the build's manifest. */
export function serverAction(file: string, name: string): { id: string; page: string } {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, ManifestEntry>;
  };
  const found = Object.entries(manifest.node).find(
    ([, entry]) => entry.filename === file && entry.exportedName === name,
  );
  if (!found) throw new Error(`No server action ${file}#${name} in the build`);
  const worker = Object.keys(found[1].workers)[0]!;
  const page =
    worker
      .replace(/^app/, "")
      .replace(/\/page$/, "")
      .replace(/\/\([^)]+\)/g, "") || "/";
  return { id: found[0], page };
}

/** Calls a server action as the browser does, with whatever headers the caller names. */
export function callActionRaw(
  action: { id: string; page: string },
  input: unknown,
  headers: Record<string, string> = {},
  from?: string,
): Promise<RawAnswer> {
  return rawRequest({
    method: "POST",
    path: action.page,
    headers: { "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8", ...headers },
    body: JSON.stringify([input]),
    from,
  });
}

/** The `{ ok, … }` result inside a server action's answer (an RSC payload line). */
export function actionResult(
  answer: RawAnswer,
): { ok: boolean; error?: { code: string; message: string } } | null {
  const line = answer.text.split("\n").find((l) => /^\d+:\{"ok":/.test(l));
  if (line) return JSON.parse(line.slice(line.indexOf(":") + 1));
  try {
    return JSON.parse(answer.text);
  } catch {
    return null;
  }
}
