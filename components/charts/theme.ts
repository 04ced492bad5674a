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
