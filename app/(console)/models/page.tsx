import type { Metadata } from "next";
import { PlannedPage } from "@/components/ui/planned-page";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return (
    <PlannedPage
      title="Models"
      summary="Model parameters kept in Redis hashes, such as linear_regression or model:<name>:v<N>."
      items={[
        "find model hashes by pattern (model:* by default) or by name, grouped by version",
        "read and edit typed parameters with conflict-safe writes",
        "see who changed what, roll back, and compare versions side by side",
      ]}
    />
  );
}
