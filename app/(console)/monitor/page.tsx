import type { Metadata } from "next";
import { PlannedPage } from "@/components/ui/planned-page";

export const metadata: Metadata = { title: "Monitor" };

export default function MonitorPage() {
  return (
    <PlannedPage
      title="Monitor"
      summary="Live messages on pub/sub channels such as data_channel and result_channel, and streams."
      items={[
        "watch channels and patterns live, with message rates",
        "tail streams and follow consumer groups and their lag",
        "publish a message (operator and up)",
      ]}
    />
  );
}
