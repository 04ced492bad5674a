"use client";

import { useDeferredValue, useMemo } from "react";
import type { BufferedMessage } from "@/components/monitor/message-buffer";

/** A test for one filter text that remembers its verdicts, so each message is read once. */
function createMatcher(needle: string): (message: BufferedMessage) => boolean {
  const verdicts = new WeakMap<BufferedMessage, boolean>();
  return (message) => {
    let hit = verdicts.get(message);
    if (hit === undefined) {
      hit = [message.channel, message.pattern ?? "", message.entryId ?? "", message.payload.text].some(
        (text) => text.toLowerCase().includes(needle),
      );
      verdicts.set(message, hit);
    }
    return hit;
  };
}

/**
 * The messages whose channel, pattern, entry id or payload contain the filter text (any case).
 * A snapshot refresh only reads the messages that are new to this filter text.
 */
export function useMessageFilter(messages: BufferedMessage[], filter: string): BufferedMessage[] {
  const needle = useDeferredValue(filter.trim().toLowerCase());
  const matches = useMemo(() => createMatcher(needle), [needle]);
  return useMemo(() => (needle ? messages.filter(matches) : messages), [messages, needle, matches]);
}
