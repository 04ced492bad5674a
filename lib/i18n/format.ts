import type { Locale } from "@/lib/i18n/locales";

// How figures read in each language: the same precision rules in both (a byte size to one decimal
// under 100, a duration to its two largest units, a rate to one decimal under 100), with digits,
// separators and unit words from Intl. Times stay ISO and UTC in every language, so a server and
// any browser render the same text and an operator can paste them into a log query.

export interface Formatters {
  /** "1.5 MB"; "—" for no figure. */
  bytes(bytes: number): string;
  /** "2d 3h", "4m 5s" / "2天 3小时", "4分钟 5秒": the two largest units. */
  duration(seconds: number): string;
  /** "7 s", "2 min 5 s", "1 h 3 min" / "7秒", "2分钟 5秒": a span of milliseconds. */
  span(ms: number): string;
  /** "1,234,567". */
  count(value: number): string;
  /** Short for an axis tick or a stat line, exact enough to tell parameters apart. */
  measure(value: number): string;
  /** "12.3%"; null when nothing was read, which the caller says in words. */
  percent(ratio: number): string;
  /** "41", "7.5": per second, one decimal under 100. */
  rate(perSecond: number): string;
  /** "2026-12-04 21:41:37 UTC". */
  time(ms: number): string;
  /** "21:41:37" (UTC). */
  clock(ms: number): string;
  /** "21:41:37.123" (UTC). */
  clockMs(ms: number): string;
}

const cache = new Map<Locale, Formatters>();

export function formattersFor(locale: Locale): Formatters {
  let formatters = cache.get(locale);
  if (!formatters) {
    formatters = build(locale);
    cache.set(locale, formatters);
  }
  return formatters;
}

function build(locale: Locale): Formatters {
  const count = new Intl.NumberFormat(locale);
  const fixed = [0, 1].map(
    (digits) =>
      new Intl.NumberFormat(locale, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        useGrouping: false,
      }),
  );
  const plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 });
  const percent = new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const unit = (name: string) =>
    new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "narrow" });
  const [day, hour, minute, second] = ["day", "hour", "minute", "second"].map(unit) as [
    Intl.NumberFormat,
    Intl.NumberFormat,
    Intl.NumberFormat,
    Intl.NumberFormat,
  ];
  // English keeps the console's spelling of spans ("2 min 5 s"); other languages take Intl's units.
  const spanUnits =
    locale === "en"
      ? { h: (n: number) => `${n} h`, min: (n: number) => `${n} min`, s: (n: number) => `${n} s` }
      : {
          h: (n: number) => hour.format(n),
          min: (n: number) => minute.format(n),
          s: (n: number) => second.format(n),
        };

  return {
    bytes(bytes) {
      if (!Number.isFinite(bytes)) return "—";
      const units = ["B", "KB", "MB", "GB", "TB"];
      let value = bytes;
      let index = 0;
      while (value >= 1024 && index < units.length - 1) {
        value /= 1024;
        index += 1;
      }
      return `${fixed[index === 0 || value >= 100 ? 0 : 1]!.format(value)} ${units[index]}`;
    },
    duration(seconds) {
      if (!Number.isFinite(seconds)) return "—";
      const d = Math.floor(seconds / 86400);
      const h = Math.floor((seconds % 86400) / 3600);
      const m = Math.floor((seconds % 3600) / 60);
      const s = Math.floor(seconds % 60);
      if (d > 0) return `${day.format(d)} ${hour.format(h)}`;
      if (h > 0) return `${hour.format(h)} ${minute.format(m)}`;
      if (m > 0) return `${minute.format(m)} ${second.format(s)}`;
      return second.format(Math.floor(seconds));
    },
    span(ms) {
      const seconds = Math.max(0, Math.round(ms / 1000));
      if (seconds < 60) return spanUnits.s(seconds);
      const minutes = Math.floor(seconds / 60);
      if (minutes < 60) return `${spanUnits.min(minutes)} ${spanUnits.s(seconds % 60)}`;
      return `${spanUnits.h(Math.floor(minutes / 60))} ${spanUnits.min(minutes % 60)}`;
    },
    count: (value) => count.format(value),
    measure(value) {
      if (!Number.isFinite(value)) return String(value);
      const magnitude = Math.abs(value);
      if (magnitude !== 0 && (magnitude >= 1e9 || magnitude < 1e-4)) return value.toExponential(3);
      return plain.format(Number(value.toPrecision(6)));
    },
    percent: (ratio) => percent.format(ratio),
    rate: (perSecond) =>
      perSecond >= 100 ? String(Math.round(perSecond)) : String(Number(perSecond.toFixed(1))),
    time: (ms) => `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`,
    clock: (ms) => new Date(ms).toISOString().slice(11, 19),
    clockMs: (ms) => new Date(ms).toISOString().slice(11, 23),
  };
}
