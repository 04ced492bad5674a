"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useState, type MouseEvent, type ReactNode } from "react";

/**
 * The console's side bar. From a tablet's width up it stands beside the page; below that it is a
 * top bar whose menu button opens the same contents (connection, pages, user) over the page, so a
 * phone keeps its whole width for the page itself.
 */
export function ShellNav({ children }: { children: ReactNode }) {
  const t = useTranslations("shell");
  const [open, setOpen] = useState(false);

  // Following a link (or signing out) closes the menu on a phone.
  function closeOnLink(event: MouseEvent<HTMLDivElement>) {
    if ((event.target as HTMLElement).closest("a")) setOpen(false);
  }

  return (
    <aside
      className="bg-ink-950 sticky top-0 z-30 flex shrink-0 flex-col md:h-screen md:w-60 md:gap-6 md:px-4 md:py-5"
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) setOpen(false);
      }}
    >
      <div className="flex items-center justify-between gap-3 px-4 py-3 md:p-0">
        <Link href="/" className="flex items-center gap-2 px-0 text-white md:px-2">
          {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG */}
          <img src="/icon.svg" alt="" width={26} height={26} />
          <span className="text-base font-semibold">{t("product")}</span>
        </Link>
        <button
          type="button"
          className="inline-flex items-center gap-2 rounded-lg border border-white/15 px-3 py-1.5 text-sm font-medium text-white hover:bg-white/10 md:hidden"
          aria-expanded={open}
          aria-controls="shell-menu"
          onClick={() => setOpen((value) => !value)}
        >
          <span aria-hidden className="text-base leading-none">
            {open ? "✕" : "☰"}
          </span>
          {t("menu")}
        </button>
      </div>
      <div
        id="shell-menu"
        data-testid="shell-menu"
        onClick={closeOnLink}
        className={`${open ? "flex" : "hidden"} max-h-[calc(100vh-3.5rem)] flex-col gap-6 overflow-y-auto border-t border-white/10 px-4 pt-4 pb-5 md:flex md:max-h-none md:flex-1 md:overflow-visible md:border-0 md:p-0`}
      >
        {children}
      </div>
    </aside>
  );
}
