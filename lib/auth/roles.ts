// Roles (DESIGN.md contract 5): viewer < operator, viewer < editor, and both < admin.
// operator and editor are side by side: neither may do the other's work. Pure; used by UI too.

export const ROLES = ["viewer", "operator", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether someone with `role` may do what `required` guards. */
export function roleAllows(role: Role, required: Role): boolean {
  return role === required || role === "admin" || required === "viewer";
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "reads everything, changes nothing",
  operator: "cache: delete keys, change TTLs, flush namespaces, publish",
  editor: "models: edit parameters, roll back, clone versions",
  admin: "everything, plus whole-database flush, connections and the audit log",
};
