"use client";
// References the floor's server action from a page, so the build gives it an id (as the console's
// edit dialog does for applyModelChanges).
import { floorEdit } from "@/bench/floor/app/models/[ref]/actions";

export function EditButton() {
  return (
    <button type="button" onClick={() => void floorEdit({ key: "", changes: [] })}>
      edit
    </button>
  );
}
