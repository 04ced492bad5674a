import type { z } from "zod";

/** One readable sentence from a zod error, naming the fields that are wrong. */
export function describeZodError(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const field = issue.path.join(".");
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  return `Please correct the input — ${parts.join("; ")}.`;
}
