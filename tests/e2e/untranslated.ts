import type { Page } from "@playwright/test";

// Issue 13: a page shown in Chinese has no English left in it. Redis data (keys, values, channel
// names, messages), code and product names are not interface text: data is marked `translate="no"`
// (the HTML attribute that tells translators the same thing), code sits in <code>/<kbd>/<pre>.

/** Words that are names, not English: product and protocol names, units, Redis terms kept as is. */
export const KEPT_AS_IS = new Set([
  "Redis",
  "SSE",
  "TTL",
  "JSON",
  "CSV",
  "UTC",
  "KB",
  "MB",
  "GB",
  "TB",
  "ID",
  "CPU",
  "LFU",
  "LRU",
  "ACL",
  "TLS",
  "Lua",
  "URL",
  "HTTP",
  "SCAN",
  "UNLINK",
  "INFO",
  "MONITOR",
  "ML",
  "ms",
  "db",
]);

/**
 * Text on the page, outside data and code, that holds an English word (two or more Latin letters,
 * not a kept name): each with a CSS-ish path to the element, for the failure message.
 */
export async function untranslatedText(page: Page): Promise<string[]> {
  const kept = [...KEPT_AS_IS];
  return page.evaluate((keptList) => {
    const keep = new Set(keptList);
    const skipped =
      "[translate='no'], code, kbd, pre, samp, script, style, noscript, svg title, [aria-hidden='true']";
    const found: string[] = [];
    const describe = (element: Element) => {
      const parts: string[] = [];
      for (let el: Element | null = element; el && parts.length < 4; el = el.parentElement) {
        const id = el.getAttribute("data-testid");
        parts.unshift(id ? `${el.tagName.toLowerCase()}[${id}]` : el.tagName.toLowerCase());
      }
      return parts.join(" > ");
    };
    const check = (text: string, where: Element) => {
      const words = (text.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !keep.has(word));
      if (words.length) found.push(`${describe(where)}: ${text.trim().slice(0, 80)}`);
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(skipped)) continue;
      const style = getComputedStyle(parent);
      if (style.display === "none" || style.visibility === "hidden") continue;
      check(node.textContent ?? "", parent);
    }
    // What a screen reader or a tooltip says is interface text too.
    for (const element of document.body.querySelectorAll("[aria-label], [title], [placeholder], [alt]")) {
      if (element.closest(skipped)) continue;
      for (const name of ["aria-label", "title", "placeholder", "alt"]) {
        const value = element.getAttribute(name);
        if (value) check(value, element);
      }
    }
    check(document.title, document.head);
    return found;
  }, kept);
}
