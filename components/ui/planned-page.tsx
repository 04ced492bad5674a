import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";

/** A section whose features are not built yet: says so plainly and what it will hold. */
export function PlannedPage({
  title,
  summary,
  items,
}: {
  title: string;
  summary: ReactNode;
  items: string[];
}) {
  return (
    <>
      <PageHeader title={title} description={summary} />
      <Card title="Not available yet">
        <p className="text-sm text-slate-600">
          This part of the console is being built. When it lands it will let you:
        </p>
        <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-700">
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </Card>
    </>
  );
}
