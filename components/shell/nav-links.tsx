"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/", label: "overview" },
  { href: "/models", label: "models" },
  { href: "/cache", label: "cache" },
  { href: "/keys", label: "keys" },
  { href: "/monitor", label: "monitor" },
  { href: "/cluster", label: "cluster" },
  { href: "/settings", label: "settings" },
] as const;

export function NavLinks() {
  const t = useTranslations("shell");
  const pathname = usePathname();
  return (
    <nav aria-label={t("mainNav")} className="flex flex-col gap-1">
      {LINKS.map(({ href, label }) => {
        const active = href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`rounded-lg px-3 py-2 text-sm font-medium transition-colors ${
              active ? "bg-white/10 text-white" : "text-slate-400 hover:bg-white/5 hover:text-white"
            }`}
          >
            {t(`nav.${label}`)}
          </Link>
        );
      })}
    </nav>
  );
}
