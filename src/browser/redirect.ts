/**
 * A page that moved: go to its new address with the same query string (the parameters of a shared
 * link keep working), and show the link for a browser that does not follow.
 */
import { html } from "htl";

export function redirectTo(path: string): HTMLElement {
  const target = `${path}${typeof location === "undefined" ? "" : location.search}`;
  if (typeof location !== "undefined") location.replace(target);
  return html`<p>This page moved to <a href=${target}>${path.replace(/^\.\//, "/")}</a>.</p>`;
}
