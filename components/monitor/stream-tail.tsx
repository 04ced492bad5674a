"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { useLiveStream } from "@/components/live/use-live-stream";
import { MessageTable } from "@/components/monitor/message-table";
import { MessageToolbar } from "@/components/monitor/message-toolbar";
import { useMessageFeed } from "@/components/monitor/use-message-feed";
import { useMessageFilter } from "@/components/monitor/use-message-filter";
import type { LiveMessage } from "@/lib/live/protocol";

const TAIL_CAPACITY = 1_000;

/** New entries of one stream as they are added, over the tab's one live stream. */
export function StreamTail({ connectionId, streamKey }: { connectionId: string; streamKey: string }) {
  const accept = useCallback(
    (message: LiveMessage) => message.source === "stream" && message.channel === streamKey,
    [streamKey],
  );
  const t = useTranslations("monitor.tail");
  const feed = useMessageFeed({ accept, initialCapacity: TAIL_CAPACITY });
  const { watch, unwatch, status, watching } = useLiveStream(connectionId, { onMessages: feed.onMessages });
  const [filter, setFilter] = useState("");
  const shown = useMessageFilter(feed.messages, filter);

  useEffect(() => {
    const target = { kind: "stream", name: streamKey } as const;
    watch([target]);
    return () => unwatch([target]);
  }, [streamKey, watch, unwatch]);
  const confirmed = watching.some((target) => target.kind === "stream" && target.name === streamKey);

  return (
    <div className="flex flex-col gap-3" data-testid="stream-tail">
      <p className="text-sm text-slate-600" data-testid="stream-tail-status" data-following={confirmed}>
        {confirmed ? t("following") : status === "open" ? t("starting") : t("waiting")}
      </p>
      <MessageToolbar
        feed={feed}
        filter={filter}
        onFilter={setFilter}
        shown={shown.length}
        rows="entries"
        exportName="stream-tail"
      />
      <MessageTable
        messages={shown}
        variant="stream"
        short
        label={t("label")}
        empty={filter.trim() && feed.messages.length > 0 ? t("noMatch") : t("empty")}
      />
    </div>
  );
}
