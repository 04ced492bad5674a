import Link from "next/link";
import { useTranslations } from "next-intl";

/** Where a key page was opened from: the Cache page's namespace, or the keys browser (default). */
export interface KeyOrigin {
  from: "cache" | "keys";
  /** The Cache page's namespace prefix, as typed text (`result:`). */
  namespace?: string;
}

interface Crumb {
  label: string;
  href: string;
}

/**
 * The way back from a key: its namespaces in the keys tree (`Keys / cache: / cache:embeddings:`),
 * or, when opened from the Cache page, that page and the namespace it was listed under.
 */
export function keyCrumbs(
  name: string,
  delimiter: string,
  origin: KeyOrigin,
  /** The first crumb's words, in the page's language. */
  labels: { cache: string; keys: string },
): Crumb[] {
  if (origin.from === "cache") {
    const crumbs: Crumb[] = [{ label: labels.cache, href: "/cache" }];
    if (origin.namespace) {
      crumbs.push({
        label: origin.namespace,
        href: `/cache?${new URLSearchParams({ prefix: origin.namespace })}`,
      });
    }
    return crumbs;
  }
  const crumbs: Crumb[] = [{ label: labels.keys, href: "/keys" }];
  if (!delimiter) return crumbs;
  let end = name.indexOf(delimiter);
  while (end > 0 && end + delimiter.length < name.length) {
    const prefix = name.slice(0, end + delimiter.length);
    crumbs.push({ label: prefix, href: `/keys?${new URLSearchParams({ view: "tree", prefix })}` });
    end = name.indexOf(delimiter, end + delimiter.length);
  }
  return crumbs;
}

export function KeyBreadcrumbs({
  name,
  delimiter,
  origin,
}: {
  name: string;
  delimiter: string;
  origin: KeyOrigin;
}) {
  const t = useTranslations("keys.breadcrumbs");
  const crumbs = keyCrumbs(name, delimiter, origin, { cache: t("cache"), keys: t("keys") });
  return (
    <nav aria-label={t("label")} className="text-sm text-slate-500">
      <ol className="flex flex-wrap items-center gap-x-1.5">
        {crumbs.map((crumb, index) => (
          <li key={crumb.href} className="flex items-center gap-1.5">
            <Link
              href={crumb.href}
              className={`break-all hover:underline ${index > 0 ? "font-mono" : ""}`}
              translate={index > 0 ? "no" : undefined}
            >
              {crumb.label}
            </Link>
            <span aria-hidden>/</span>
          </li>
        ))}
        <li
          aria-current="page"
          className="min-w-0 truncate font-mono text-slate-700"
          title={name}
          translate="no"
        >
          {name}
        </li>
      </ol>
    </nav>
  );
}
