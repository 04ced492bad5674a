import { createTranslator } from "use-intl/core";
import en from "@/lib/i18n/messages/en.json";
import type { Locale } from "@/lib/i18n/locales";

// The console's one error type. Everything a browser sees as an error is one of these codes,
// with a message written for a person; HTTP statuses are decided here and nowhere else.
// The message is a key of the `errors` messages (lib/i18n/messages) with its values: the English
// text is `message` (logs, API clients), and the wrappers answer in the caller's language.

export const ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INVALID: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  OUT_OF_MEMORY: 507,
  TIMEOUT: 504,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

type ErrorMessages = typeof en.errors;
type TextKeys<T> = { [K in keyof T]: T[K] extends string ? K : never }[keyof T] & string;

/**
 * A message of the `errors` namespace: `AppError.of("INVALID", "typePattern")`. `input.*` are the
 * validation schemas' own messages (lib/validation/messages).
 */
export type ErrorKey = TextKeys<ErrorMessages> | `input.${TextKeys<ErrorMessages["input"]>}`;
export type MessageValues = Record<string, string | number>;

export interface ErrorBody {
  code: ErrorCode;
  /** In the caller's language. */
  message: string;
  /** The message's key and values, so a stored error (a job's) is shown in each reader's language. */
  key?: ErrorKey;
  values?: MessageValues;
  /** Structured facts the page needs to help, e.g. the current values behind a CONFLICT. */
  details?: unknown;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

const english = createTranslator({ locale: "en", messages: en, namespace: "errors" });

/** An error message in English, for logs and for errors made before a language is known. */
export function englishError(key: ErrorKey, values?: MessageValues): string {
  return (english as (key: string, values?: MessageValues) => string)(key, values);
}

/** Turns an error key and its values into text in one language (lib/i18n/server errorTranslator). */
export type ErrorTranslator = ((key: ErrorKey, values?: MessageValues) => string) & {
  /** The language it writes, for messages made by a library in that language (zod's own). */
  locale?: Locale;
};

/** A stored error (a job's) in the language of `translate`: its key and values say it again. */
export function translateBody(body: ErrorBody, translate: ErrorTranslator): ErrorBody {
  return body.key ? { ...body, message: translate(body.key, body.values) } : body;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly key?: ErrorKey;
  readonly values?: MessageValues;

  constructor(
    code: ErrorCode,
    message: string,
    details?: unknown,
    text?: { key: ErrorKey; values?: MessageValues },
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
    this.key = text?.key;
    this.values = text?.values;
  }

  /** The usual way to make one: a code and a message key of the `errors` namespace. */
  static of(code: ErrorCode, key: ErrorKey, values?: MessageValues, details?: unknown): AppError {
    return new AppError(code, englishError(key, values), details, { key, values });
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** The body a browser gets, its message in the language of `translate` (English without it). */
  toBody(translate?: ErrorTranslator): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.key) {
      if (translate) body.message = translate(this.key, this.values);
      body.key = this.key;
      if (this.values) body.values = this.values;
    }
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
