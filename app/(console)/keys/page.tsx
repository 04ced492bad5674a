import type { Metadata } from "next";
import { PlannedPage } from "@/components/ui/planned-page";

export const metadata: Metadata = { title: "Keys" };

export default function KeysPage() {
  return (
    <PlannedPage
      title="Keys"
      summary="Every key in the database, browsed with SCAN, never KEYS."
      items={[
        "list keys by glob pattern and type, as a list or a tree",
        "open any key read-only, whatever its type and size",
        "delete keys and change TTLs (operator and up)",
      ]}
    />
  );
}
