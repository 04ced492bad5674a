"use client";

import { useEffect, useRef, type ReactNode, type RefObject } from "react";

/**
 * Keeps a chart's drawing out of the Tab order. Chromium stops Tab on the <g> layers recharts 3
 * draws into (even with accessibilityLayer off), so a keyboard user on the Monitor walked through
 * every chart before reaching the messages. The figures are in each chart's caption and legend.
 */
export function NoTabStops({
  children,
  className,
  inline = false,
}: {
  children: ReactNode;
  className?: string;
  /** A span, for a chart inside a line of text (a sparkline). */
  inline?: boolean;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const mark = () => {
      for (const layer of root.querySelectorAll("svg g:not([tabindex])"))
        layer.setAttribute("tabindex", "-1");
    };
    mark();
    const observer = new MutationObserver(mark);
    observer.observe(root, { subtree: true, childList: true });
    return () => observer.disconnect();
  }, []);
  return inline ? (
    <span ref={ref} className={className ?? "contents"}>
      {children}
    </span>
  ) : (
    <div ref={ref as RefObject<HTMLDivElement>} className={className}>
      {children}
    </div>
  );
}
