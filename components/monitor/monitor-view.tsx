"use client";

import { useTranslations } from "next-intl";
import { useCallback, useMemo, useState } from "react";
import { useLiveStream } from "@/components/live/use-live-stream";
import { ChannelList } from "@/components/monitor/channel-list";
import { LiveStatus } from "@/components/monitor/live-status";
import { MessageTable } from "@/components/monitor/message-table";
import { MessageToolbar } from "@/components/monitor/message-toolbar";
import { PublishForm } from "@/components/monitor/publish-form";
import { RateChart } from "@/components/monitor/rate-chart";
import { StreamsPanel } from "@/components/monitor/streams-panel";
import { useMessageFeed } from "@/components/monitor/use-message-feed";
import { useMessageFilter } from "@/components/monitor/use-message-filter";
import { WatchTargets } from "@/components/monitor/watch-targets";
import { Card } from "@/components/ui/card";
import type { Role } from "@/lib/auth/roles";
import { targetId, type LiveMessage, type WatchTarget } from "@/lib/live/protocol";

type Tab = "pubsub" | "streams";

const TABS: Tab[] = ["pubsub", "streams"];

const isPubSub = (message: LiveMessage) => message.source !== "stream";

export interface MonitorViewProps {
  connectionId: string;
  /** Publishing, creating groups and acking need the operator role. */
  canPublish: boolean;
  /** The signed-in role, to say why those controls are disabled. */
  role: Role;
  /** The prefix of the console's own keys and channels (CONSOLE_STATE_PREFIX). */
  consolePrefix: string;
}

/** The Monitor page: pub/sub channels and patterns live, and streams with their consumer groups. */
export function MonitorView({ connectionId, canPublish, role, consolePrefix }: MonitorViewProps) {
  const t = useTranslations("monitor");
  const [tab, setTab] = useState<Tab>("pubsub");
  // The pub/sub feed lives here, so switching tabs neither loses messages nor stops watching.
  const feed = useMessageFeed({ accept: isPubSub, withRates: true });
  const live = useLiveStream(connectionId, { onMessages: feed.onMessages });
  const [filter, setFilter] = useState("");
  const shown = useMessageFilter(feed.messages, filter);

  const { watch, unwatch } = live;
  const watchOne = useCallback((target: WatchTarget) => watch([target]), [watch]);
  const unwatchOne = useCallback((target: WatchTarget) => unwatch([target]), [unwatch]);
  const desiredIds = useMemo(() => new Set(live.desired.map(targetId)), [live.desired]);
  const confirmedIds = useMemo(() => new Set(live.watching.map(targetId)), [live.watching]);
  const firstChannel = live.desired.find((target) => target.kind === "channel")?.name;
  const watchingPubSub = live.desired.some((target) => target.kind !== "stream");

  return (
    <div className="flex flex-col gap-5">
      {/* Stays in view while scrolling, so an interruption is seen where the messages are read. */}
      <div className="sticky top-[3.25rem] z-10 -mx-4 -my-2 bg-slate-50/95 px-4 py-2 backdrop-blur-sm md:top-0 md:-mx-8 md:px-8">
        <LiveStatus live={live} />
      </div>
      <div role="tablist" aria-label={t("sections")} className="flex gap-1 border-b border-slate-200">
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`monitor-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`monitor-panel-${id}`}
            onClick={() => setTab(id)}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${
              tab === id
                ? "border-brand-600 text-slate-900"
                : "border-transparent text-slate-500 hover:text-slate-800"
            }`}
          >
            {t(`tabs.${id}`)}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id="monitor-panel-pubsub"
        aria-labelledby="monitor-tab-pubsub"
        hidden={tab !== "pubsub"}
        className="flex flex-col gap-5"
      >
        <div className="grid items-start gap-5 xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <div className="flex min-w-0 flex-col gap-5">
            <Card title={t("watching")}>
              <WatchTargets
                desired={live.desired}
                confirmed={confirmedIds}
                onWatch={watchOne}
                onUnwatch={unwatchOne}
              />
            </Card>
            <Card title={t("activeChannels")}>
              <ChannelList
                connectionId={connectionId}
                watched={desiredIds}
                onWatch={watchOne}
                consolePrefix={consolePrefix}
              />
            </Card>
          </div>
          <Card title={t("messageRate")} className="min-w-0">
            <RateChart series={feed.rates} />
          </Card>
        </div>
        <Card title={t("messages")}>
          <div className="flex flex-col gap-3">
            <MessageToolbar
              feed={feed}
              filter={filter}
              onFilter={setFilter}
              shown={shown.length}
              exportName="monitor-messages"
            />
            <MessageTable
              messages={shown}
              variant="pubsub"
              label={t("messages")}
              empty={
                !watchingPubSub
                  ? t("notWatching")
                  : filter.trim() && feed.messages.length > 0
                    ? t("noMatch")
                    : t("waitingForMessages")
              }
            />
          </div>
        </Card>
        <Card title={t("publish.title")}>
          <PublishForm
            connectionId={connectionId}
            canPublish={canPublish}
            readOnlyReason={t("publish.needsOperator", { role })}
            suggestedChannel={firstChannel}
          />
        </Card>
      </div>
      {tab === "streams" && (
        <div role="tabpanel" id="monitor-panel-streams" aria-labelledby="monitor-tab-streams">
          <StreamsPanel
            connectionId={connectionId}
            canManage={canPublish}
            readOnlyReason={t("groups.needsOperator", { role })}
          />
        </div>
      )}
    </div>
  );
}
