import { useTranslations } from "next-intl";

/** "Shard 2": shards are numbered from 1 in slot order, as operators count them. */
export function useShardName(): (index: number) => string {
  const t = useTranslations("cluster");
  return (index) => t("shard", { number: index + 1 });
}
