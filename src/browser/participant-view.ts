/** The Participant page's text and table: who the participant is, and the fits per session beside the clinical scores. */
import { html } from "htl";
import type { ModelFit } from "../lib/models/types.js";
import type { Participant } from "../lib/study/types.js";
import { fmt } from "../components/theme.js";
import type { StudyPage } from "./page.js";

/** "TRD07: group TRD, 45 years, F, 12 years of education" with whatever demographics are known, and the extra columns. */
export function participantLine(p: Participant): HTMLElement {
  const parts = [`group ${p.group}`];
  if (p.age !== null) parts.push(`${p.age} years`);
  if (p.sex !== null) parts.push(p.sex);
  if (p.education_years !== null) parts.push(`${p.education_years} years of education`);
  const extra = Object.entries(p.extra).filter(([, v]) => v !== "");
  return html`<p><strong>${p.participant_id}</strong>: ${parts.join(", ")}${extra.length ? `; ${extra.map(([k, v]) => `${k} ${v}`).join(", ")}` : ""}.</p>`;
}

export function participantTable(page: StudyPage, id: string, fits: readonly ModelFit[]): HTMLElement {
  const { study } = page;
  const scale = study.meta.clinical_scale;
  const sessions = study.meta.sessions.filter((s) => fits.some((f) => f.session === s) || study.clinical.some((c) => c.participant_id === id && c.session === s));
  const warnings = fits.flatMap((f) => f.warnings.map((w) => `${f.session}: ${w}`));
  return html`<div>
    <div class="table-scroll"><table data-table="participant">
      <thead><tr><th>Session</th><th>α good</th><th>α bad</th><th>Asymmetry</th><th>n good</th><th>n bad</th><th>σ</th><th>BIC</th>${scale ? html`<th>${scale.name}</th>` : ""}</tr></thead>
      <tbody>${sessions.map((s) => {
        const f = fits.find((x) => x.session === s);
        const c = study.clinical.find((x) => x.participant_id === id && x.session === s);
        return html`<tr><td>${s}</td><td>${fmt(f?.alpha_good)}</td><td>${fmt(f?.alpha_bad)}</td><td>${fmt(f?.asymmetry)}</td><td>${f?.n_good ?? "–"}</td><td>${f?.n_bad ?? "–"}</td><td>${fmt(f?.sigma, 2)}</td><td>${fmt(f?.bic, 1)}</td>${scale ? html`<td>${c?.score ?? "–"}</td>` : ""}</tr>`;
      })}</tbody>
    </table></div>
    ${warnings.length ? html`<p class="warning">${warnings.join("; ")}</p>` : ""}
  </div>`;
}
