// A row of buttons of which one is pressed: a chart's range (1m, 1h, 24h…) or scale (log, linear).

const SIZES = {
  xs: {
    group: "inline-flex rounded-lg border border-slate-300 p-0.5",
    button: "rounded-md px-2.5 py-1 text-xs font-medium",
    pressed: "bg-slate-800 text-white",
    released: "text-slate-600 hover:bg-slate-100",
  },
  sm: {
    group: "flex rounded-lg border border-slate-300 bg-white p-0.5",
    button: "rounded-md px-3 py-1 text-sm font-medium",
    pressed: "bg-slate-800 text-white",
    released: "text-slate-600 hover:text-slate-900",
  },
} as const;

export function ToggleGroup<T extends string>({
  label,
  options,
  value,
  onChange,
  optionLabel = (option) => option,
  optionTitle,
  size = "xs",
}: {
  /** Names the group for screen readers ("Chart range"). */
  label: string;
  options: readonly T[];
  value: T;
  onChange: (value: T) => void;
  optionLabel?: (option: T) => string;
  optionTitle?: (option: T) => string;
  size?: keyof typeof SIZES;
}) {
  const look = SIZES[size];
  return (
    <div role="group" aria-label={label} className={look.group}>
      {options.map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={option === value}
          title={optionTitle?.(option)}
          onClick={() => onChange(option)}
          className={`${look.button} ${option === value ? look.pressed : look.released}`}
        >
          {optionLabel(option)}
        </button>
      ))}
    </div>
  );
}
