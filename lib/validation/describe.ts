import { z } from "zod";
import { AppError, englishError, type ErrorTranslator } from "@/lib/errors";
import { inputTextOf } from "@/lib/validation/messages";

// Invalid input is answered with what to correct, in the caller's language: a schema's own message
// by its key (lib/validation/messages), zod's own words from zod's locale for that language, read
// again with that locale's error map for this parse only (the global zod config stays English).

type Locale = NonNullable<ErrorTranslator["locale"]>;

/** Zod's own words in the languages other than English. */
const ZOD_LOCALES: Record<Exclude<Locale, "en">, z.core.$ZodErrorMap> = {
  "zh-CN": z.locales.zhCN().localeError,
};

/** Problems named in one answer at most. */
const MAX_PROBLEMS = 3;

interface Problem {
  field: string;
  /** Zod's message: English, or the schema's own English text. */
  message: string;
  /** Zod's own message in the other languages (a schema's message goes by its key instead). */
  localized: Partial<Record<Locale, string>>;
}

function problemIn({ message, localized }: Problem, translate: ErrorTranslator): string {
  const own = inputTextOf(message);
  if (own) return translate(own.key, own.values);
  return (translate.locale && localized[translate.locale]) ?? message;
}

/** One sentence naming the fields that are wrong, in the language of `translate`. */
function describeProblems(problems: Problem[], translate: ErrorTranslator): string {
  const parts = problems.map((problem) => {
    const text = problemIn(problem, translate);
    return problem.field ? translate("inputProblem", { field: problem.field, problem: text }) : text;
  });
  return translate("invalidInput", { problems: parts.join(translate("inputProblemSeparator")) });
}

/**
 * INVALID whose message is put together again in each caller's language: the sentence naming the
 * fields, or (`bare`, for a link) the first problem's words alone.
 */
export class InputError extends AppError {
  constructor(
    private readonly problems: Problem[],
    private readonly bare = false,
  ) {
    super("INVALID", bare ? problemIn(problems[0]!, englishError) : describeProblems(problems, englishError));
  }

  override toBody(translate?: ErrorTranslator) {
    const body = super.toBody(translate);
    if (!translate) return body;
    body.message = this.bare
      ? problemIn(this.problems[0]!, translate)
      : describeProblems(this.problems, translate);
    return body;
  }
}

function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.slice(0, MAX_PROBLEMS).map((issue) => ({
    field: issue.path.join("."),
    message: issue.message,
    localized: {},
  }));
}

/** The problems of a failed parse, with zod's own words also in each other language. */
function inputErrorOf<S extends z.ZodType>(
  schema: S,
  value: unknown,
  error: z.ZodError,
  bare = false,
): InputError {
  const problems = problemsOf(error);
  for (const [locale, map] of Object.entries(ZOD_LOCALES) as [Locale, z.core.$ZodErrorMap][]) {
    const again = schema.safeParse(value, { error: map });
    const issues = again.success ? [] : again.error.issues;
    problems.forEach((problem, index) => {
      const message = issues[index]?.message;
      if (message !== undefined) problem.localized[locale] = message;
    });
  }
  return new InputError(problems, bare);
}

/** One readable English sentence from a zod error, naming the fields that are wrong. */
export function describeZodError(error: z.ZodError): string {
  return describeProblems(problemsOf(error), englishError);
}

/** The input as `schema` makes it, or INVALID saying what to correct. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw inputErrorOf(schema, value, parsed.error);
  return parsed.data;
}

/**
 * A URL's segments as `schema` makes them, or INVALID in the schema's own words (a link, not a
 * form: its message says what to do instead).
 */
export function parseLink<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const own = inputTextOf(parsed.error.issues[0]?.message ?? "");
  if (own) throw AppError.of("INVALID", own.key, own.values);
  throw inputErrorOf(schema, value, parsed.error, parsed.error.issues.length > 0);
}
