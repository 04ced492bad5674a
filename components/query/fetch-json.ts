// The browser side of the route-handler contract: `{ ok: true, data }` or `{ ok: false, error }`.

import type { ApiUrl } from "@/components/query/api";
import { clientErrorText } from "@/components/i18n/client-errors";

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }
}

type Envelope<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** Fetches one of the console's own routes; the URL comes from components/query/api and carries its answer type. */
export async function fetchJson<T>(url: ApiUrl<T>, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { Accept: "application/json", ...init?.headers } });
  } catch {
    throw new ApiError("NETWORK", clientErrorText("networkUnreachable"), 0);
  }
  let body: Envelope<T> | null = null;
  try {
    body = (await response.json()) as Envelope<T>;
  } catch {
    // fall through to the generic message below
  }
  if (body?.ok) return body.data;
  if (body && !body.ok) throw new ApiError(body.error.code, body.error.message, response.status);
  const status = response.status;
  throw new ApiError("INTERNAL", clientErrorText("answeredWithoutDetails", { status }), status);
}
