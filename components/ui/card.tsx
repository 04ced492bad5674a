import type { ReactNode } from "react";

export function Card({
  title,
  children,
  className = "",
}: {
  title?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`rounded-xl border border-slate-200 bg-white shadow-sm ${className}`}>
      {title && (
        <h2 className="border-b border-slate-100 px-5 py-3 text-sm font-semibold text-slate-700">{title}</h2>
      )}
      <div className="p-5">{children}</div>
    </section>
  );
}
