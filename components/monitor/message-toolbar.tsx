"use client";

import type { MessageFeed } from "@/components/monitor/use-message-feed";
import { Button } from "@/components/ui/button";
import { formatCount } from "@/components/ui/format";
import { SearchInput } from "@/components/ui/search-input";

const CAPACITIES = [1_000, 10_000, 50_000] as const;

/** Downloads text as a file through a short-lived Blob URL. */
function download(text: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function MessageToolbar({
  feed,
  filter,
  onFilter,
  shown,
  filterLabel = "Filter messages",
  noun = ["message", "messages"],
  exportName,
}: {
  feed: MessageFeed;
  filter: string;
  onFilter: (filter: string) => void;
  /** Rows on screen after the filter. */
  shown: number;
  filterLabel?: string;
  /** What one row is called, singular and plural. */
  noun?: [string, string];
  /** File name stem for the export. */
  exportName: string;
}) {
  function exportBuffer() {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    download(feed.jsonLines(), `${exportName}-${stamp}.jsonl`, "application/x-ndjson");
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-3">
        <SearchInput
          label={filterLabel}
          value={filter}
          onChange={onFilter}
          placeholder="text in the channel or payload"
          className="min-w-56 flex-1"
        />
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Keep the last
          <select
            value={feed.capacity}
            onChange={(event) => feed.setCapacity(Number(event.target.value))}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal"
          >
            {CAPACITIES.map((capacity) => (
              <option key={capacity} value={capacity}>
                {formatCount(capacity)} {noun[1]}
              </option>
            ))}
          </select>
        </label>
        <div className="flex gap-2">
          {feed.paused ? (
            <Button onClick={feed.resume}>Resume</Button>
          ) : (
            <Button variant="secondary" onClick={feed.pause}>
              Pause
            </Button>
          )}
          <Button variant="secondary" onClick={feed.clear} disabled={feed.held === 0 && feed.dropped === 0}>
            Clear
          </Button>
          <Button
            variant="secondary"
            onClick={exportBuffer}
            disabled={feed.held === 0}
            title="Download every message in the buffer as JSON lines"
          >
            Export
          </Button>
        </div>
      </div>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600" aria-live="polite">
        <span data-testid="message-count" data-count={feed.held}>
          {formatCount(feed.held)} {feed.held === 1 ? noun[0] : noun[1]} in the buffer
          {filter.trim() ? `, ${formatCount(shown)} matching` : ""}
        </span>
        {feed.paused && (
          <span
            className="font-medium text-amber-700"
            data-testid="paused-count"
            data-count={feed.sincePaused}
          >
            Paused: {formatCount(feed.sincePaused)} new since paused
          </span>
        )}
        {feed.dropped > 0 && (
          <span
            className="font-medium text-red-700"
            data-testid="dropped-count"
            data-count={feed.dropped}
            title="The server drops the oldest queued messages when this tab cannot keep up"
          >
            {formatCount(feed.dropped)} dropped by the server (this tab fell behind)
          </span>
        )}
      </p>
    </div>
  );
}
