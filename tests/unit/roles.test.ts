import { describe, expect, it } from "vitest";
import { roleAllows } from "@/lib/auth/roles";

describe("roleAllows", () => {
  it("lets every role read", () => {
    for (const role of ["viewer", "operator", "editor", "admin"] as const)
      expect(roleAllows(role, "viewer")).toBe(true);
  });

  it("keeps operators out of model edits and editors out of cache flushes", () => {
    expect(roleAllows("operator", "editor")).toBe(false);
    expect(roleAllows("editor", "operator")).toBe(false);
    expect(roleAllows("viewer", "operator")).toBe(false);
  });

  it("lets admins do everything and only admins do admin work", () => {
    expect(roleAllows("admin", "operator")).toBe(true);
    expect(roleAllows("admin", "editor")).toBe(true);
    expect(roleAllows("editor", "admin")).toBe(false);
    expect(roleAllows("operator", "admin")).toBe(false);
  });
});
