"use server";

import { cookies } from "next/headers";
import { defineAction } from "@/lib/actions/safe-action";
import { findConnection } from "@/lib/redis/registry";
import { CONNECTION_COOKIE } from "@/lib/request-context";
import { switchConnectionSchema } from "@/lib/validation/connection";

export const switchConnection = defineAction({
  name: "switchConnection",
  role: "viewer",
  input: switchConnectionSchema,
  run: async ({ connectionId }) => {
    const config = findConnection(connectionId);
    (await cookies()).set(CONNECTION_COOKIE, config.id, { httpOnly: true, sameSite: "lax", path: "/" });
    return { id: config.id, name: config.name };
  },
});
