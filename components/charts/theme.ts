// One look for every chart: grid, axes, ticks and tooltips.
export const CHART_GRID = "#e2e8f0";
export const CHART_AXIS = "#94a3b8";
export const CHART_TICK = { fontSize: 11, fill: "#64748b" };
export const CHART_TOOLTIP = {
  contentStyle: { fontSize: 12, borderRadius: 8, borderColor: "#e2e8f0", padding: "6px 10px" },
  labelStyle: { fontWeight: 600, color: "#334155" },
  itemStyle: { padding: 0 },
  separator: ": ",
};
/** Bar charts shade the hovered band. */
export const BAR_TOOLTIP = { ...CHART_TOOLTIP, cursor: { fill: "#f1f5f9" } };

// Tailwind's sky/rose/emerald/amber/violet/cyan/fuchsia/lime-600 and slate-600: recharts paints
// SVG attributes, not classes.
export const SERIES_COLORS = [
  "#0284c7",
  "#e11d48",
  "#059669",
  "#d97706",
  "#7c3aed",
  "#0891b2",
  "#c026d3",
  "#65a30d",
] as const;
/** The dashed line of a total drawn beside its parts. */
export const TOTAL_COLOR = "#475569";

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}
