// The models domain's shapes, shared by lib/models, the route handlers, the actions and the UI.
import type { ValueView } from "@/lib/values/types";

/** A field of a model hash as the parameter table shows it. */
export interface ModelField {
  /** base64url of the field name's bytes (DESIGN.md contract 1). */
  ref: string;
  /** The field name as text, non-printable bytes escaped. */
  name: string;
  value: ValueView;
  /**
   * SHA-1 (hex) of the value's bytes: what an edit says it was based on. Compare-and-set checks it
   * against the stored value inside Redis, so even a huge value costs 40 characters to carry.
   */
  digest: string;
}

export interface FieldPage {
  fields: ModelField[];
  /** HSCAN cursor to continue from; "0" when the hash has been read to its end. */
  cursor: string;
  /** HLEN at the time of the read. */
  total: number;
  /** About how many of `total` fields HSCAN has gone past once this page is read (all of them at the end). */
  scanned: number;
}

/** One write of an edit, applied only if the field still holds what the editor saw. */
export interface FieldChange {
  /** base64url of the field name. */
  field: string;
  /** Digest of the value the edit was based on; null: the field must not exist yet. */
  expected: string | null;
  /** base64url of the new value's bytes; null deletes the field. */
  value: string | null;
}

export interface Conflict {
  field: string;
  fieldName: string;
  expected: string | null;
  /** What the field holds now (null: it is gone). */
  current: ValueView | null;
  currentDigest: string | null;
}

export interface HistoryEntry {
  id: string;
  at: number;
  user: string;
  /** set | delete | rename | bulk | restore | clone */
  op: string;
  /** Edits that went in together share a batch id (a bulk apply, a restore). */
  batch: string;
  field: string;
  fieldName: string;
  /** base64url of the old and new bytes; null when absent, undefined when too large to keep. */
  old: string | null | undefined;
  new: string | null | undefined;
  oldView: ValueView | null;
  newView: ValueView | null;
}
