"use client";

import { useEffect, useRef, useState, type HTMLAttributes, type ReactNode } from "react";

// A frame that scrolls its wide content sideways on a narrow screen instead of widening the page,
// with a soft shadow on each edge that has more beyond it: on a phone a table's right-hand columns
// are off-screen, and without the shadow nothing says they are there.

interface Edges {
  left: boolean;
  right: boolean;
}

/** Which edges of a sideways scroller hide content (1 px of slack for fractional widths). */
export function hiddenEdges(scrollLeft: number, scrollWidth: number, clientWidth: number): Edges {
  const beyond = scrollWidth - clientWidth;
  return { left: scrollLeft > 1, right: scrollLeft < beyond - 1 };
}

const SHADE = "pointer-events-none absolute inset-y-0 w-8 transition-opacity duration-150";

export function ScrollFrame({
  className = "",
  children,
  ...attributes
}: HTMLAttributes<HTMLDivElement> & { className?: string; children: ReactNode }) {
  const frame = useRef<HTMLDivElement>(null);
  const [edges, setEdges] = useState<Edges>({ left: false, right: false });

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const update = () => {
      const next = hiddenEdges(element.scrollLeft, element.scrollWidth, element.clientWidth);
      setEdges((previous) =>
        previous.left === next.left && previous.right === next.right ? previous : next,
      );
    };
    update();
    element.addEventListener("scroll", update, { passive: true });
    // The frame narrows with the window; its content widens as rows arrive.
    const resized = new ResizeObserver(update);
    resized.observe(element);
    for (const child of element.children) resized.observe(child);
    return () => {
      element.removeEventListener("scroll", update);
      resized.disconnect();
    };
  }, []);

  return (
    <div className="relative">
      <div ref={frame} className={`overflow-x-auto ${className}`} {...attributes}>
        {children}
      </div>
      <div
        aria-hidden="true"
        data-testid="scroll-shade-left"
        className={`${SHADE} left-0 rounded-l-xl bg-linear-to-r from-slate-900/25 to-transparent ${edges.left ? "opacity-100" : "opacity-0"}`}
      />
      <div
        aria-hidden="true"
        data-testid="scroll-shade-right"
        className={`${SHADE} right-0 rounded-r-xl bg-linear-to-l from-slate-900/25 to-transparent ${edges.right ? "opacity-100" : "opacity-0"}`}
      />
    </div>
  );
}
