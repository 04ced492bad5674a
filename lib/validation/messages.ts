import { englishError, type ErrorKey, type MessageValues } from "@/lib/errors";

// The schemas' own messages. Zod keeps a message as text, so each schema gets the English text (the
// words API clients and logs read) and this file remembers which key and values it came from;
// lib/validation/describe says it again in the language of the request when the error is answered.

type InputKey = Extract<ErrorKey, `input.${string}`>;
type InputText = { key: InputKey; values?: MessageValues };

const known = new Map<string, InputText>();

/** A schema's message, `input.<name>` of the `errors` messages: `z.string().min(1, says("enterUsername"))`. */
export function says(name: InputKey extends `input.${infer N}` ? N : never, values?: MessageValues): string {
  const key = `input.${name}` as InputKey;
  const text = englishError(key, values);
  known.set(text, { key, values });
  return text;
}

/** The key and values behind a schema's message; undefined for zod's own words. */
export function inputTextOf(message: string): InputText | undefined {
  return known.get(message);
}
