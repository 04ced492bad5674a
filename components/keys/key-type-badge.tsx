// The type of a key (what TYPE answers) as a small coloured label, the same in the list and the key page.
import { useTranslations } from "next-intl";

const TONES: Record<string, string> = {
  string: "bg-sky-50 text-sky-700 ring-sky-200",
  hash: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  list: "bg-amber-50 text-amber-800 ring-amber-200",
  set: "bg-violet-50 text-violet-700 ring-violet-200",
  zset: "bg-rose-50 text-rose-700 ring-rose-200",
  stream: "bg-indigo-50 text-indigo-700 ring-indigo-200",
};

const KNOWN = ["string", "hash", "list", "set", "zset", "stream"] as const;
type KnownType = (typeof KNOWN)[number];

/** A key type in words ("sorted set" for zset); a type Redis added later is shown as TYPE names it. */
export function useTypeLabel(): (type: string) => string {
  const t = useTranslations("keys.types");
  return (type) => ((KNOWN as readonly string[]).includes(type) ? t(type as KnownType) : type);
}

export function KeyTypeBadge({ type, testId }: { type: string; testId?: string }) {
  const typeLabel = useTypeLabel();
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-[11px] leading-none font-medium tracking-wide uppercase ring-1 ring-inset ${TONES[type] ?? "bg-slate-100 text-slate-600 ring-slate-200"}`}
      data-testid={testId}
      data-type={type}
    >
      {typeLabel(type)}
    </span>
  );
}
