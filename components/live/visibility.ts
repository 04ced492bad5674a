"use client";

/**
 * A tab nobody looks at keeps what arrives but draws nothing until it is shown again: twelve
 * background tabs redrawing their charts every second would take a core of a laptop's two.
 */
export const isHidden = (): boolean =>
  typeof document !== "undefined" && document.visibilityState === "hidden";

/** Calls `shown` each time the tab comes to the front; returns the clean-up. */
export function onShown(shown: () => void): () => void {
  const listener = () => {
    if (!isHidden()) shown();
  };
  document.addEventListener("visibilitychange", listener);
  return () => document.removeEventListener("visibilitychange", listener);
}
