import { EditButton } from "@/bench/floor/app/edit/edit-button";

export default function EditPage() {
  return <EditButton />;
}
