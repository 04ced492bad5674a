// The people the e2e suite signs in as. Passwords exist only for this throwaway test server.
export const E2E_USERS = {
  admin: { username: "admin", password: "e2e-admin-password", role: "admin" },
  editor: { username: "ana", password: "e2e-editor-password", role: "editor" },
  operator: { username: "otto", password: "e2e-operator-password", role: "operator" },
  viewer: { username: "vera", password: "e2e-viewer-password", role: "viewer" },
  // Reads Chinese first (tests/e2e/chinese.spec.ts): her saved language must not reach the others'.
  chinese: { username: "li", password: "e2e-chinese-password", role: "admin" },
} as const;

export type E2EUser = keyof typeof E2E_USERS;
