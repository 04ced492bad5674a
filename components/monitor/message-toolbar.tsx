"use client";

import { useTranslations } from "next-intl";
import type { MessageFeed } from "@/components/monitor/use-message-feed";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
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
  rows = "messages",
  exportName,
}: {
  feed: MessageFeed;
  filter: string;
  onFilter: (filter: string) => void;
  /** Rows on screen after the filter. */
  shown: number;
  /** What a row is: a pub/sub message or a stream entry (the words that count them). */
  rows?: "messages" | "entries";
  /** File name stem for the export. */
  exportName: string;
}) {
  const t = useTranslations("monitor.toolbar");
  const f = useFormat();

  function exportBuffer() {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    download(feed.jsonLines(), `${exportName}-${stamp}.jsonl`, "application/x-ndjson");
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-3">
        <SearchInput
          label={t(`filter.${rows}`)}
          value={filter}
          onChange={onFilter}
          placeholder={t("filterPlaceholder")}
          className="min-w-56 flex-1"
        />
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("keep")}
          <select
            value={feed.capacity}
            onChange={(event) => feed.setCapacity(Number(event.target.value))}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal"
          >
            {CAPACITIES.map((capacity) => (
              <option key={capacity} value={capacity}>
                {t(`capacity.${rows}`, { n: f.count(capacity) })}
              </option>
            ))}
          </select>
        </label>
        <div className="flex gap-2">
          {feed.paused ? (
            <Button onClick={feed.resume}>{t("resume")}</Button>
          ) : (
            <Button variant="secondary" onClick={feed.pause}>
              {t("pause")}
            </Button>
          )}
          <Button variant="secondary" onClick={feed.clear} disabled={feed.held === 0 && feed.dropped === 0}>
            {t("clear")}
          </Button>
          <Button
            variant="secondary"
            onClick={exportBuffer}
            disabled={feed.held === 0}
            title={t("exportTitle")}
          >
            {t("export")}
          </Button>
        </div>
      </div>
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-600" aria-live="polite">
        <span data-testid="message-count" data-count={feed.held}>
          {t(`held.${rows}`, { count: feed.held, n: f.count(feed.held) })}
          {filter.trim() ? t("matching", { n: f.count(shown) }) : ""}
        </span>
        {feed.paused && (
          <span
            className="font-medium text-amber-700"
            data-testid="paused-count"
            data-count={feed.sincePaused}
          >
            {t("paused", { n: f.count(feed.sincePaused) })}
          </span>
        )}
        {feed.dropped > 0 && (
          <span
            className="font-medium text-red-700"
            data-testid="dropped-count"
            data-count={feed.dropped}
            title={t("droppedTitle")}
          >
            {t("dropped", { n: f.count(feed.dropped) })}
          </span>
        )}
      </p>
    </div>
  );
}
