import { EditButton } from "@/bench/floor/app/models/[ref]/edit-button";

export default function EditPage() {
  return <EditButton />;
}
