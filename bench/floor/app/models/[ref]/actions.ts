"use server";
// The framework floor of the compare-and-set row: a bare server action (no guard, no validation, no
// audit wrapper), called as the console's applyModelChanges is: POST with Next-Action to its page,
// which sits under a dynamic segment as the console's model page does (/models/<key ref>).
import { floorClient } from "@/bench/floor/work";
import { compareAndSet, type EditRequest } from "@/bench/floor/work-models";

export async function floorEdit(edit: EditRequest) {
  return compareAndSet(floorClient(), edit);
}
