"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from "react";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The dialog's focusable elements that are shown, in Tab order. */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0 && element.getClientRects().length > 0,
  );
}

/**
 * Where focus goes when the dialog opens: the element marked `data-autofocus` (its text selected,
 * so typing replaces it), else the first control after the close button. The native dialog would
 * pick the close button, which makes Enter close the dialog instead of acting in it.
 */
function focusInitial(dialog: HTMLDialogElement): void {
  const marked = dialog.querySelector<HTMLElement>("[data-autofocus]");
  const target = marked ?? focusables(dialog)[1] ?? focusables(dialog)[0];
  if (!target) return;
  target.focus();
  if (marked && (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) {
    target.select();
  }
}

/**
 * A modal built on the native <dialog>: the page behind is inert, Escape closes it, and Tab and
 * Shift+Tab go round the dialog's own controls (never out to the browser's toolbar and back).
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  wide = false,
}: {
  open: boolean;
  /** The heading, which also names the dialog; a name from Redis inside it goes in `translate="no"`. */
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}) {
  const t = useTranslations("ui");
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      focusInitial(dialog);
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  function trapTab(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== "Tab" || !ref.current) return;
    const items = focusables(ref.current);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !ref.current.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !ref.current.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onKeyDown={trapTab}
      aria-labelledby={headingId}
      className={`m-auto w-[calc(100%-1.5rem)] rounded-xl p-0 shadow-2xl backdrop:bg-slate-900/40 ${wide ? "max-w-4xl" : "max-w-xl"}`}
    >
      {open && (
        <div className="flex flex-col gap-4 p-4 sm:p-6">
          <div className="flex items-start justify-between gap-4">
            <h2 id={headingId} className="text-lg font-semibold break-all text-slate-900">
              {title}
            </h2>
            <button
              type="button"
              onClick={onClose}
              className="text-slate-400 hover:text-slate-700"
              aria-label={t("close")}
            >
              ✕
            </button>
          </div>
          {children}
        </div>
      )}
    </dialog>
  );
}
