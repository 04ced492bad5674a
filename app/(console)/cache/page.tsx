import type { Metadata } from "next";
import { PlannedPage } from "@/components/ui/planned-page";

export const metadata: Metadata = { title: "Cache" };

export default function CachePage() {
  return (
    <PlannedPage
      title="Cache"
      summary="Cached results by namespace (result:*, cache:embeddings:* …) and whether the cache is working."
      items={[
        "namespaces with key counts, memory and TTL distribution",
        "hit-rate charts over 1 minute to 24 hours, from counter deltas",
        "flush a namespace in the background without blocking Redis, with a dry run first",
      ]}
    />
  );
}
