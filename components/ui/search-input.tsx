/**
 * A labelled search box that filters as you type: the label above, the input below. `mono` is for
 * globs and key names, typed as they are stored; `className` sizes the label (a flex share, a
 * minimum width) and `inputClassName` the input.
 */
export function SearchInput({
  label,
  value,
  onChange,
  placeholder,
  mono = false,
  className = "",
  inputClassName = "",
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  mono?: boolean;
  className?: string;
  inputClassName?: string;
}) {
  return (
    <label className={`flex flex-col gap-1 text-sm font-medium text-slate-700 ${className}`}>
      {label}
      <input
        type="search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder}
        className={`rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal ${mono ? "font-mono" : ""} ${inputClassName}`}
      />
    </label>
  );
}
