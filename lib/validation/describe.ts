import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** One readable sentence from a zod error, naming the fields that are wrong. */
export function describeZodError(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const field = issue.path.join(".");
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  return `Please correct the input — ${parts.join("; ")}.`;
}

/** The input as `schema` makes it, or INVALID saying what to correct. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("INVALID", describeZodError(parsed.error));
  return parsed.data;
}
