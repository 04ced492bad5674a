import type { Metadata } from "next";
import { ModelsList } from "@/components/models/models-list";
import { PageHeader } from "@/components/ui/page-header";
import { modelPatterns } from "@/lib/models/naming";
import { resolveConnectionId } from "@/lib/request-context";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  const connectionId = await resolveConnectionId();
  return (
    <>
      <PageHeader
        title="Models"
        description={
          <>
            Model parameters kept in Redis hashes: every hash matching {modelPatterns().join(", ")}, grouped
            by model and version; hashes whose values look like parameters (mostly numbers, at most 64 fields,
            no expiry), such as <code>linear_regression</code>, marked “found by their values”; and any hash
            you open by name.
          </>
        }
      />
      <ModelsList connectionId={connectionId} />
    </>
  );
}
