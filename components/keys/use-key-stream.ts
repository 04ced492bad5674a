"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "@/components/query/api";
import { clientErrorText } from "@/components/i18n/client-errors";
import { readNdjson } from "@/components/query/ndjson";
import type { KeyListPage, KeyRow } from "@/lib/keys/list";
import type { KeyStreamLine } from "@/lib/keys/stream";

// The key list's "continue": one streamed read (GET /api/keys/stream) from the cursor the list
// reached, its rows handed to the list a few times a second as they arrive, until the keyspace
// ends, the server's time budget or ROWS_PER_CONTINUE rows do (the list then offers to continue
// again), or the user stops it. Stopping aborts the fetch, and the server stops its SCAN with it.

/** Rows one "continue" adds at most: the list keeps every row it shows in memory, sorted by name. */
export const ROWS_PER_CONTINUE = 20_000;
/** How often arriving rows are shown: each time re-sorts the list. */
const SHOW_EVERY_MS = 250;

export interface KeyStreamParams {
  conn: string;
  pattern: string;
  type: string;
  includeConsoleState: boolean;
}

interface Streamed {
  /** The list the pages belong to; another list starts with none. */
  of: string;
  pages: KeyListPage[];
}

async function failureText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // no JSON: the generic words below
  }
  return clientErrorText("answeredWithoutDetails", { status: response.status });
}

/** Pages the streams added to the list, whether one runs, its failure, and how to start and stop one. */
export function useKeyStream(params: KeyStreamParams) {
  const of = JSON.stringify(params);
  const [streamed, setStreamed] = useState<Streamed>({ of, pages: [] });
  const [streaming, setStreaming] = useState(false);
  const [failure, setFailure] = useState<{ of: string; text: string } | null>(null);
  const running = useRef<AbortController | null>(null);
  const pages = streamed.of === of ? streamed.pages : [];
  const error = failure?.of === of ? failure.text : null;

  // Another pattern, type or connection (or leaving the page) ends the stream of the old one.
  useEffect(() => () => running.current?.abort(), [of]);

  const stop = useCallback(() => running.current?.abort(), []);

  const start = useCallback(
    async (cursor: string, dbSizeSoFar: number) => {
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      setStreaming(true);
      setFailure(null);
      const setError = (text: string) => setFailure({ of, text });
      let rows: KeyRow[] = [];
      let examined = 0;
      let reached = cursor;
      let dbSize = dbSizeSoFar;
      let shownAt = performance.now();
      const show = (always = false) => {
        if (!always && rows.length === 0 && examined === 0) return;
        const page: KeyListPage = {
          rows,
          cursor: reached,
          examined,
          dbSize,
          exact: null,
          exactLookup: false,
        };
        // Rows of a list left meanwhile are dropped (that list's stream was stopped when it was left).
        setStreamed((current) =>
          current.of === of
            ? { of, pages: [...current.pages, page] }
            : current.pages.length
              ? current
              : { of, pages: [page] },
        );
        rows = [];
        examined = 0;
        shownAt = performance.now();
      };
      try {
        const response = await fetch(api.keyStream({ ...params, cursor, limit: ROWS_PER_CONTINUE }), {
          signal: controller.signal,
          headers: { Accept: "application/x-ndjson" },
        });
        if (!response.ok || !response.body) {
          setError(await failureText(response));
          return;
        }
        for await (const line of readNdjson<KeyStreamLine>(response.body)) {
          if (line.kind === "start") dbSize = line.dbSize;
          else if (line.kind === "error") setError(line.error.message);
          else if (line.kind === "end") {
            reached = line.cursor;
            show(true);
          } else {
            for (const row of line.rows) rows.push(row);
            examined += line.examined;
            reached = line.cursor;
            if (performance.now() - shownAt >= SHOW_EVERY_MS) show();
          }
        }
        show();
      } catch {
        // Stopped, or the connection broke: keep what arrived, and its cursor to continue from.
        if (!controller.signal.aborted) setError(clientErrorText("networkUnreachable"));
        show();
      } finally {
        if (running.current === controller) {
          running.current = null;
          setStreaming(false);
        }
      }
    },
    [of, params],
  );

  return { pages, streaming, error, start, stop };
}
