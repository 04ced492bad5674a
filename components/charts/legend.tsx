/** A chart's legend as a line of swatches: a short stroke in the series' colour and its name. */
/** An item marked `data` is named by Redis (a command, a channel): shown as it is, never translated. */
export function ChartLegend({
  items,
}: {
  items: { name: string; color: string; dashed?: boolean; data?: boolean }[];
}) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
      {items.map((item) => (
        <li key={item.name} className="inline-flex min-w-0 items-center gap-1.5">
          <span
            aria-hidden
            className={`inline-block w-4 border-t-2 ${item.dashed ? "border-dashed" : ""}`}
            style={{ borderColor: item.color }}
          />
          <span
            className="max-w-48 truncate font-mono"
            title={item.name}
            translate={item.data ? "no" : undefined}
          >
            {item.name}
          </span>
        </li>
      ))}
    </ul>
  );
}
