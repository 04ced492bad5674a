// Round numbers for chart axes and bins: steps of 1, 2 or 5 times a power of ten, so ticks read
// 0 / 50 / 100 / 150 rather than 0 / 55 / 110 / 165. Pure; unit-tested.

/** Drops the float noise of a product like 3 × 0.1 (0.30000000000000004 → 0.3). */
export function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

/** The smallest 1, 2 or 5 × 10^k that is at least `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return tidy(nice * power);
}

/** About `count` round ticks covering [min, max]: the first at or below min, the last at or above max. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    if (max === 0) return [0, 1];
    const step = niceStep(Math.abs(max) / 2);
    return [tidy(Math.floor(min / step) * step - (min > 0 ? 0 : step)), tidy(Math.ceil(max / step) * step)];
  }
  const step = niceStep((max - min) / Math.max(1, count - 1));
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let tick = first; tick < max + step * 0.999; tick += step) ticks.push(tidy(tick));
  if (ticks[ticks.length - 1]! < max) ticks.push(tidy(ticks[ticks.length - 1]! + step));
  return ticks;
}

const BYTE_UNITS = [1, 1024, 1024 ** 2, 1024 ** 3, 1024 ** 4];

/** Round ticks for a bytes axis from 0: round in the unit the largest value is shown in (0, 100 MB, 200 MB…). */
export function niceByteTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1024];
  let unit = BYTE_UNITS[0]!;
  for (const candidate of BYTE_UNITS) if (max >= candidate) unit = candidate;
  return niceTicks(0, max / unit, count).map((tick) => tick * unit);
}

export interface NiceBin {
  /** Where the bin starts; it ends where the next starts (`start + width`). */
  start: number;
  count: number;
}

/**
 * About `target` bins of a round width over [min, max], edges at multiples of the width, so the
 * axis under a histogram reads 0.1, 0.2, 0.3 rather than 0.0873, 0.1746.
 */
export function niceBins(
  values: number[],
  min: number,
  max: number,
  target = 20,
): { width: number; bins: NiceBin[] } {
  const width = niceStep(max > min ? (max - min) / target : Math.abs(min) / 10 || 1);
  const first = Math.floor(min / width);
  const last = Math.max(first, Math.floor(max / width));
  const bins: NiceBin[] = [];
  for (let k = first; k <= last; k++) bins.push({ start: tidy(k * width), count: 0 });
  for (const value of values) {
    const index = Math.min(bins.length - 1, Math.max(0, Math.floor(value / width) - first));
    bins[index]!.count += 1;
  }
  return { width, bins };
}
