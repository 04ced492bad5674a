import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The layers of DESIGN.md, checked on the source itself so they stay true as files are added:
// ioredis is reached only inside lib/redis, lib/ reaches a client only through the gate, schemas
// in lib/validation depend on no domain module, no module imports itself back, components name the
// console's routes only in components/query/api.ts, and files in lib/, app/ and components/ stay
// under ~300 lines (STYLE.md: a file holds one idea).

const ROOT = path.resolve(__dirname, "../..");
const MAX_LINES = 300;

interface Import {
  /** As written: "ioredis", "@/lib/redis/gate". */
  specifier: string;
  typeOnly: boolean;
  /** The names it brings in, for `import { a, b } from`. */
  names: string[];
}

function sourceFiles(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [dir];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const child = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(child);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [child] : [];
  });
}

const STATIC_IMPORT = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*["']([^"']+)["']/gm;
const BARE_IMPORT = /^\s*import\s+["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const found: Import[] = [];
  for (const [, , type, clause, specifier] of text.matchAll(STATIC_IMPORT)) {
    const braces = /\{([^}]*)\}/.exec(clause ?? "")?.[1] ?? "";
    const names = braces
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean);
    // `import { type A, type B } from` brings no value either; a default or namespace import does.
    const onlyBraces = (clause ?? "").trim().startsWith("{");
    const typeOnly =
      Boolean(type) || (onlyBraces && names.length > 0 && names.every((name) => name.startsWith("type ")));
    found.push({
      specifier: specifier!,
      typeOnly,
      names: names.map((name) => name.replace(/^type\s+/, "").split(/\s+as\s+/)[0]!),
    });
  }
  for (const [, specifier] of text.matchAll(BARE_IMPORT))
    found.push({ specifier: specifier!, typeOnly: false, names: [] });
  for (const [, specifier] of text.matchAll(DYNAMIC_IMPORT))
    found.push({ specifier: specifier!, typeOnly: false, names: [] });
  return found;
}

/** The repository file an "@/…" specifier names, or null for a package. */
function resolve(specifier: string): string | null {
  if (!specifier.startsWith("@/")) return null;
  const base = specifier.slice(2);
  for (const candidate of [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(path.join(ROOT, candidate))) return candidate;
  }
  return null;
}

const serverAndUi = [
  ...sourceFiles("lib"),
  ...sourceFiles("app"),
  ...sourceFiles("components"),
  "proxy.ts",
  "instrumentation.ts",
];

describe("the layers hold", () => {
  it("imports ioredis values only under lib/redis (types may be named elsewhere)", () => {
    const offenders = serverAndUi.filter(
      (file) =>
        !file.startsWith("lib/redis/") &&
        importsOf(file).some((entry) => entry.specifier.startsWith("ioredis") && !entry.typeOnly),
    );
    expect(offenders).toEqual([]);
  });

  it("reaches a client only through lib/redis/gate.ts outside lib/redis", () => {
    const direct = new Set(["readyClient", "stateClient", "getClient", "whenReady"]);
    const offenders = serverAndUi.filter(
      (file) =>
        !file.startsWith("lib/redis/") &&
        importsOf(file).some(
          (entry) =>
            (entry.specifier === "@/lib/redis/registry" && entry.names.some((name) => direct.has(name))) ||
            entry.specifier === "@/lib/redis/create-client",
        ),
    );
    expect(offenders).toEqual([]);
  });

  it("keeps lib/validation free of domain modules: zod, other schemas, lib/errors, the key codecs and the list of languages only", () => {
    const allowed = (specifier: string) =>
      specifier === "zod" ||
      specifier.startsWith("@/lib/validation/") ||
      specifier === "@/lib/errors" ||
      specifier === "@/lib/redis/keys" ||
      specifier === "@/lib/i18n/locales";
    const offenders = sourceFiles("lib/validation").flatMap((file) =>
      importsOf(file)
        .filter((entry) => !allowed(entry.specifier))
        .map((entry) => `${file} → ${entry.specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it("has no import loop in lib/, app/ or components/, type-only imports included", () => {
    const graph = new Map<string, string[]>();
    for (const file of serverAndUi) {
      graph.set(
        file,
        importsOf(file)
          .map((entry) => resolve(entry.specifier))
          .filter((target): target is string => target !== null),
      );
    }
    const loops: string[] = [];
    const state = new Map<string, "open" | "done">();
    const walk = (file: string, trail: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        loops.push([...trail.slice(trail.indexOf(file)), file].join(" → "));
        return;
      }
      state.set(file, "open");
      for (const next of graph.get(file) ?? []) walk(next, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of graph.keys()) walk(file, []);
    expect(loops).toEqual([]);
  });

  it("builds the console's own /api/ URLs only in components/query/api.ts", () => {
    // A quoted path that starts with /api/ ("/api/…", `/api/…`): comments may still name a route.
    const apiUrl = /["'`]\/api\//;
    const offenders = sourceFiles("components")
      .filter((file) => file !== "components/query/api.ts")
      .filter((file) => apiUrl.test(readFileSync(path.join(ROOT, file), "utf8")));
    expect(offenders).toEqual([]);
  });

  it(`keeps every file in lib/, app/ and components/ under ${MAX_LINES} lines`, () => {
    const long = [...sourceFiles("lib"), ...sourceFiles("app"), ...sourceFiles("components")]
      .map((file) => ({ file, lines: readFileSync(path.join(ROOT, file), "utf8").split("\n").length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file} (${lines})`);
    expect(long).toEqual([]);
  });
});
