"use client";

import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { useFormat } from "@/components/ui/format";
import { ValueDisplay } from "@/components/values/value-view";
import type { StringPage } from "@/lib/keys/read";
import type { ValueView } from "@/lib/values/types";

/**
 * The pages read so far as one value when they are all text (or all hex), so a long string reads
 * on; pages of another kind (a float32 vector, say) stay one view per page.
 */
function joined(pages: StringPage[], more: boolean): ValueView | null {
  const first = pages[0];
  if (!first) return null;
  if (pages.length === 1) return first.value;
  const kind = first.value.kind;
  if ((kind !== "text" && kind !== "binary") || pages.some((page) => page.value.kind !== kind)) return null;
  return {
    kind,
    display: pages.map((page) => page.value.display).join(kind === "binary" ? " " : ""),
    size: first.size,
    truncated: more,
  };
}

/** A string read GETRANGE page by page (64 KB each): what was read, and "Load more" for the rest. */
export function StringReader({
  pages,
  more,
  loading,
  onLoadMore,
}: {
  pages: StringPage[];
  more: boolean;
  loading: boolean;
  onLoadMore: () => void;
}) {
  const t = useTranslations("keys.reader");
  const f = useFormat();
  const last = pages[pages.length - 1];
  if (!last) return null;
  const read = last.nextOffset ?? last.size;
  const whole = joined(pages, more);
  return (
    <div className="flex flex-col gap-3">
      <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="string-reader">
        {whole ? (
          <ValueDisplay value={whole} />
        ) : (
          pages.map((page) => (
            <section key={page.offset} className="flex flex-col gap-1" data-testid="reader-row">
              <h3 className="text-xs font-medium text-slate-500">
                {t("bytesRange", {
                  from: f.count(page.offset),
                  to: f.count(page.offset + pageBytes(page) - 1),
                })}
              </h3>
              <ValueDisplay value={page.value} />
            </section>
          ))
        )}
      </div>
      {more && (
        <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
          <span data-testid="reader-progress">
            {t("readOf", { read: f.bytes(read), total: f.bytes(last.size) })}
          </span>
          <Button variant="secondary" onClick={onLoadMore} disabled={loading}>
            {loading ? t("loading") : t("loadMore")}
          </Button>
        </div>
      )}
    </div>
  );
}

/** Bytes in one page: from the base64 of its exact bytes (the display may be hex or escaped). */
function pageBytes(page: StringPage): number {
  const padding = page.base64.endsWith("==") ? 2 : page.base64.endsWith("=") ? 1 : 0;
  return (page.base64.length * 3) / 4 - padding;
}
