import "server-only";
import path from "node:path";

/** Where the console keeps its local files (session secret, users file). */
export function dataDir(): string {
  // The folder is chosen at run time; keep the build from tracing the whole project because of it.
  return path.resolve(/* turbopackIgnore: true */ process.env.CONSOLE_DATA_DIR ?? ".data");
}
