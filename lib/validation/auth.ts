import { z } from "zod";

/** A path inside the console to return to after sign-in; anything else falls back to "/". */
export const returnPathSchema = z
  .string()
  .max(2000)
  .refine(
    (path) => path.startsWith("/") && !path.startsWith("//") && !path.includes("\\"),
    "not a console path",
  );

export const signInSchema = z.object({
  username: z.string().trim().min(1, "enter your username").max(64),
  password: z.string().min(1, "enter your password").max(1024),
  next: returnPathSchema.optional().catch(undefined),
});

export type SignInInput = z.infer<typeof signInSchema>;
