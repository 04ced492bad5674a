import type { ReactNode } from "react";
// What the field editor is asked to do, and what follows from it: its title, the text it starts
// with, and whether that text gets one line or many.

import type { useTranslations } from "next-intl";
import type { ModelField } from "@/lib/models/types";
import { KIND_LABELS } from "@/lib/values/parse-input";
import type { ValueKind } from "@/lib/values/types";

export type EditorMode =
  | { mode: "edit"; field: ModelField }
  | { mode: "add" }
  | { mode: "rename"; field: ModelField }
  | { mode: "delete"; field: ModelField };

export const KINDS = Object.keys(KIND_LABELS) as ValueKind[];

/** What the text box starts with: the value as typed, when it can be typed back exactly. */
export function initialText(field: ModelField | undefined): string {
  if (!field || field.value.truncated) return "";
  const { kind, display } = field.value;
  return kind === "vector" ? "" : display;
}

/** Text longer than this is edited in a multi-line box, like JSON. */
const SHORT_TEXT = 80;

/** JSON, vectors and long or multi-line text get a multi-line editor; everything else one line. */
export function isMultiline(kind: ValueKind, initial: string): boolean {
  if (kind === "json" || kind === "vector") return true;
  return kind === "text" && (initial.includes("\n") || initial.length > SHORT_TEXT);
}

/** The dialog's title, in the language of `t` (the `models.editor` messages). */
export function titleOf(
  editor: EditorMode,
  t: ReturnType<typeof useTranslations<"models.editor">>,
  data: (chunks: ReactNode) => ReactNode,
): ReactNode {
  return editor.mode === "add"
    ? t("titles.add")
    : t.rich(`titles.${editor.mode}`, { name: editor.field.name, data });
}
