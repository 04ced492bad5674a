"use client";

import { useEffect, useState } from "react";

/**
 * Seconds left of a TTL read at `since` (ms), ticking once a second; null when the key does not
 * expire. Starts from the TTL as read, so the server and the browser render the same text.
 */
export function useRemainingSeconds(ttlSeconds: number | null, since: number): number | null {
  const [now, setNow] = useState(since);
  useEffect(() => {
    if (ttlSeconds === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [ttlSeconds, since]);
  if (ttlSeconds === null) return null;
  return Math.max(0, ttlSeconds - Math.floor(Math.max(0, now - since) / 1_000));
}
