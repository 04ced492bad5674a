"use client";

import { useTranslations } from "next-intl";
import { useShardName } from "@/components/cluster/shard-name";
import { Card } from "@/components/ui/card";
import { useFormat } from "@/components/ui/format";
import { Table } from "@/components/ui/table";
import type { ClusterView, SkewCause } from "@/lib/cluster";

// Why the skewed shard holds more: the slot that pins data to it and the hash tag that does so,
// then the evidence — its fullest slots, its largest sampled keys, the hash tags they share. Key
// names and tags are Redis data: shown as they are, marked translate="no".

function Pinned({ cause, shard }: { cause: SkewCause; shard: string }) {
  const t = useTranslations("cluster.cause");
  const f = useFormat();
  const pinned = cause.pinned;
  if (!pinned) return <p data-testid="cluster-cause-summary">{t("notPinned", { shard })}</p>;
  const values = { slot: pinned.slot, keys: f.count(pinned.keys), share: f.percent(pinned.share), shard };
  return (
    <p className="font-medium" data-testid="cluster-cause-summary" data-tag={pinned.tag ?? undefined}>
      {pinned.tag === null
        ? t("pinnedNoTag", values)
        : t.rich("pinned", {
            ...values,
            tag: () => (
              <code className="rounded bg-slate-100 px-1 font-mono" translate="no">{`{${pinned.tag}}`}</code>
            ),
          })}
    </p>
  );
}

export function SkewCauseCard({ view }: { view: ClusterView }) {
  const t = useTranslations("cluster.cause");
  const f = useFormat();
  const shardName = useShardName();
  const cause = view.cause;
  return (
    <Card title={t("heading")}>
      <div className="flex flex-col gap-5 text-sm text-slate-700" data-testid="cluster-cause">
        {!cause ? (
          <p>{t("none")}</p>
        ) : (
          <>
            <Pinned cause={cause} shard={shardName(cause.shard)} />
            {cause.topSlots.length > 0 && (
              <div className="flex flex-col gap-2">
                <h3 className="font-semibold">{t("slotsHeading")}</h3>
                <Table
                  columns={(["slot", "keys", "tag", "sample"] as const).map((name) => ({
                    label: t(`slotColumns.${name}`),
                  }))}
                  className="min-w-[36rem]"
                  testId="cluster-top-slots"
                >
                  <tbody>
                    {cause.topSlots.map((slot) => (
                      <tr key={slot.slot} className="border-t border-slate-100">
                        <td className="py-1.5 pr-4 tabular-nums">{slot.slot}</td>
                        <td className="py-1.5 pr-4 tabular-nums">{f.count(slot.keys)}</td>
                        <td
                          className="py-1.5 pr-4 font-mono text-xs"
                          translate={slot.tag === null ? undefined : "no"}
                        >
                          {slot.tag === null ? t("noTag") : `{${slot.tag}}`}
                        </td>
                        <td className="max-w-[24rem] truncate py-1.5 font-mono text-xs" translate="no">
                          {slot.sample.map((key) => key.key).join("  ")}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
                <p className="text-xs text-slate-500">
                  {t.rich("slotsChecked", {
                    checked: f.count(cause.slotsChecked),
                    total: f.count(cause.slotsTotal),
                    code: (chunks) => <code>{chunks}</code>,
                  })}
                </p>
              </div>
            )}
            <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
              <div className="flex min-w-0 flex-col gap-2">
                <h3 className="font-semibold">
                  {t("largestHeading", { count: f.count(cause.sampledKeys) })}
                </h3>
                {cause.largestKeys.length === 0 ? (
                  <p className="text-slate-500">{t("noKeys")}</p>
                ) : (
                  <Table
                    columns={[
                      { label: t("keyColumns.key") },
                      { label: t("keyColumns.size"), align: "right" },
                    ]}
                    testId="cluster-largest-keys"
                  >
                    <tbody>
                      {cause.largestKeys.map((key) => (
                        <tr key={key.ref} className="border-t border-slate-100">
                          <td className="max-w-[20rem] truncate py-1.5 pr-4 font-mono text-xs" translate="no">
                            {key.key}
                          </td>
                          <td className="py-1.5 text-right tabular-nums">{f.bytes(key.bytes)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </Table>
                )}
              </div>
              <div className="flex min-w-0 flex-col gap-2">
                <h3 className="font-semibold">{t("tagsHeading")}</h3>
                {cause.hashTags.length === 0 ? (
                  <p className="text-slate-500">{t("noTags")}</p>
                ) : (
                  <Table
                    columns={[
                      { label: t("tagColumns.tag") },
                      { label: t("tagColumns.keys"), align: "right" },
                      { label: t("tagColumns.size"), align: "right" },
                    ]}
                    testId="cluster-hash-tags"
                  >
                    <tbody>
                      {cause.hashTags.map((tag) => (
                        <tr key={tag.tag} className="border-t border-slate-100">
                          <td className="max-w-[16rem] truncate py-1.5 pr-4 font-mono text-xs" translate="no">
                            {`{${tag.tag}}`}
                          </td>
                          <td className="py-1.5 pr-4 text-right tabular-nums">{f.count(tag.keys)}</td>
                          <td className="py-1.5 text-right tabular-nums">{f.bytes(tag.bytes)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </Table>
                )}
              </div>
            </div>
            <p className="text-xs text-slate-500">{t("readAt", { time: f.time(view.analyzedAt) })}</p>
          </>
        )}
      </div>
    </Card>
  );
}
