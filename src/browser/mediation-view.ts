/** Pieces of the Mediation page that are not charts. */
import { html } from "htl";
import type { MediationPhase } from "../lib/analysis/pipeline.js";

/**
 * Why the mediation is not computed, in one sentence, with the participants left out folded below
 * (instead of empty cards and download buttons).
 */
export function mediationNotComputed(med: MediationPhase): HTMLElement {
  const reason = med.not_applicable ?? med.error ?? "unknown";
  // prepareMediationData lists the excluded participants inside its message: keep the first sentence, fold the list.
  const cut = reason.indexOf(". ");
  const head = cut > 0 ? reason.slice(0, cut + 1) : reason;
  const rest = cut > 0 ? reason.slice(cut + 2) : "";
  return html`<div class="mediation-missing" data-mediation="not-computed">
    <p><strong>The mediation is not computed for these settings:</strong> ${head}</p>
    ${rest ? html`<details><summary>Details</summary><p>${rest}</p></details>` : ""}
  </div>`;
}
