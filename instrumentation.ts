// Runs once when a console server process starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { initUsers } = await import("@/lib/auth/users");
  // Prints the generated admin password now, not at the first sign-in attempt.
  await initUsers();
}
