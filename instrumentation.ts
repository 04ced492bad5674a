// Runs once when a console server process starts, before it serves a request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before anything reads a request: forwarded headers are believed only from trusted proxies.
  const { installFrontDoor } = await import("@/lib/request/front-door");
  installFrontDoor();
  const { initUsers } = await import("@/lib/auth/users");
  // Prints the generated admin password now, not at the first sign-in attempt.
  await initUsers();
  // Audit entries left on disk by an earlier run (Redis was refusing writes) go in without waiting
  // for the next change to be audited.
  const { resumeAuditSpool } = await import("@/lib/audit");
  await resumeAuditSpool();
  // The hit rate leaves out every console instance's own reads: each adds its count to console state.
  const { startSharingOwnTraffic } = await import("@/lib/metrics/own-share");
  startSharingOwnTraffic();
  // A busy spell's heap goes back to the system once the console is quiet again.
  const { collectWhenIdle } = await import("@/lib/request/idle-collect");
  collectWhenIdle();
}
