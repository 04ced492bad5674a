import "server-only";
import { cookies, headers } from "next/headers";
import { connectionConfigs, findConnection } from "@/lib/redis/registry";

export const CONNECTION_COOKIE = "console_connection";

/**
 * The connection a request works on: the one it names, else the one the switcher picked
 * (a cookie), else the first configured. An unknown name is an error, never a silent fallback.
 */
export async function resolveConnectionId(requested?: string | null): Promise<string> {
  if (requested) return findConnection(requested).id;
  const picked = (await cookies()).get(CONNECTION_COOKIE)?.value;
  const configs = connectionConfigs();
  return configs.find((c) => c.id === picked)?.id ?? configs[0]!.id;
}

/** The client's address as the nearest proxy (Next's own server at least) reported it. */
export async function clientAddress(): Promise<string> {
  const forwarded = (await headers()).get("x-forwarded-for");
  const hops =
    forwarded
      ?.split(",")
      .map((hop) => hop.trim())
      .filter(Boolean) ?? [];
  return hops[hops.length - 1] ?? "unknown";
}
