"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { KeyList } from "@/components/keys/key-list";
import { KeyTree } from "@/components/keys/key-tree";
import { useTypeLabel } from "@/components/keys/key-type-badge";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import type { KeyListPage } from "@/lib/keys/list";

export type KeysView = "list" | "tree";

export interface KeysBrowserState {
  view: KeysView;
  pattern: string;
  type: string;
  prefix: string;
  delimiter: string;
  includeConsoleState: boolean;
}

const INPUT = "rounded-lg border border-slate-300 bg-white px-3 py-2 font-normal";

/** The browser's state as a query string, so a reload, a shared link or Back shows the same keys. */
function searchOf(state: KeysBrowserState, defaultDelimiter: string): string {
  const params = new URLSearchParams();
  if (state.view === "tree") {
    params.set("view", "tree");
    if (state.prefix) params.set("prefix", state.prefix);
    if (state.delimiter !== defaultDelimiter) params.set("delimiter", state.delimiter);
  } else {
    if (state.pattern) params.set("pattern", state.pattern);
    if (state.type) params.set("type", state.type);
  }
  if (state.includeConsoleState) params.set("consoleState", "1");
  const search = params.toString();
  return search ? `?${search}` : "";
}

export function KeysBrowser({
  connectionId,
  initial,
  firstPage,
  types,
  defaultDelimiter,
  notice,
}: {
  connectionId: string;
  initial: KeysBrowserState;
  /** The list's first page for `initial`, read by the server as it rendered; null: ask for it. */
  firstPage: KeyListPage | null;
  types: readonly string[];
  defaultDelimiter: string;
  /** Said once, e.g. after a delete brought the user back here. */
  notice: ReactNode;
}) {
  const t = useTranslations("keys.browser");
  const typeLabel = useTypeLabel();
  const [state, setState] = useState(initial);
  const [draftPattern, setDraftPattern] = useState(initial.pattern);
  const [draftDelimiter, setDraftDelimiter] = useState(initial.delimiter);
  const [shownNotice, setShownNotice] = useState(notice);
  const update = (change: Partial<KeysBrowserState>) => {
    setShownNotice(null);
    setState((current) => ({ ...current, ...change }));
  };

  useEffect(() => {
    window.history.replaceState(null, "", `/keys${searchOf(state, defaultDelimiter)}`);
  }, [state, defaultDelimiter]);

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    update({ pattern: draftPattern.trim() === "*" ? "" : draftPattern });
  }

  function applyDelimiter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (draftDelimiter) update({ delimiter: draftDelimiter, prefix: "" });
  }

  // The server's page answers the search it was read for, not one the user has typed since.
  const sameSearch =
    state.pattern === initial.pattern &&
    state.type === initial.type &&
    state.includeConsoleState === initial.includeConsoleState;

  function searchFor(pattern: string) {
    setDraftPattern(pattern);
    update({ pattern });
  }

  return (
    <div className="flex flex-col gap-5">
      {shownNotice && <Notice tone="info">{shownNotice}</Notice>}
      <div className="flex flex-wrap items-end gap-4">
        <div
          role="group"
          aria-label={t("view")}
          className="flex rounded-lg border border-slate-300 bg-white p-0.5"
        >
          {(["list", "tree"] as const).map((view) => (
            <button
              key={view}
              type="button"
              aria-pressed={state.view === view}
              onClick={() => update({ view })}
              className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:text-slate-900 aria-pressed:bg-slate-800 aria-pressed:text-white"
            >
              {view === "list" ? t("list") : t("tree")}
            </button>
          ))}
        </div>
        {state.view === "list" ? (
          <form onSubmit={search} className="flex flex-1 flex-wrap items-end gap-3" aria-label={t("find")}>
            <label className="flex min-w-72 flex-1 flex-col gap-1 text-sm font-medium text-slate-700">
              {t("pattern")}
              <input
                type="search"
                value={draftPattern}
                onChange={(event) => setDraftPattern(event.target.value)}
                placeholder={t("patternPlaceholder")}
                translate="no"
                spellCheck={false}
                autoComplete="off"
                className={`${INPUT} font-mono`}
              />
            </label>
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
              {t("type")}
              <select
                value={state.type}
                onChange={(event) => update({ type: event.target.value })}
                className={INPUT}
              >
                <option value="">{t("anyType")}</option>
                {types.map((type) => (
                  <option key={type} value={type}>
                    {typeLabel(type)}
                  </option>
                ))}
              </select>
            </label>
            <Button type="submit">{t("search")}</Button>
          </form>
        ) : (
          <form
            onSubmit={applyDelimiter}
            className="flex flex-1 items-end gap-3"
            aria-label={t("treeSettings")}
          >
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
              {t("delimiter")}
              <input
                value={draftDelimiter}
                onChange={(event) => setDraftDelimiter(event.target.value)}
                required
                maxLength={16}
                translate="no"
                spellCheck={false}
                className={`${INPUT} w-28 font-mono`}
              />
            </label>
            <Button type="submit" variant="secondary">
              {t("apply")}
            </Button>
          </form>
        )}
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-600">
          <input
            type="checkbox"
            checked={state.includeConsoleState}
            onChange={(event) => update({ includeConsoleState: event.target.checked })}
          />
          {t("showConsoleState")}
        </label>
      </div>
      {state.view === "list" ? (
        <>
          <p className="-mt-3 text-xs text-slate-500">
            {t.rich("globHelp", { code: (chunks) => <code>{chunks}</code> })}
          </p>
          <KeyList
            connectionId={connectionId}
            pattern={state.pattern}
            type={state.type}
            includeConsoleState={state.includeConsoleState}
            initialPage={sameSearch ? firstPage : null}
            onSearch={searchFor}
          />
        </>
      ) : (
        <KeyTree
          connectionId={connectionId}
          prefix={state.prefix}
          delimiter={state.delimiter}
          includeConsoleState={state.includeConsoleState}
          onOpenFolder={(prefix) => update({ prefix })}
        />
      )}
    </div>
  );
}
