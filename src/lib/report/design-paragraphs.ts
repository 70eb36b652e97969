/**
 * Methods and results paragraphs of a crossover or parallel-group trial, from its analyze document
 * (src/lib/analysis/report.ts `designDocument`). Every sentence and number comes from the document;
 * a synthetic study says so, a real one never says "synthetic". Pure: no DOM.
 */
import type { DesignDocument } from "../analysis/report.js";
import { ci, int, list, num, p, percent, plural, t } from "./format.js";
import { KIT_NAME } from "./paragraphs.js";
import { sentence, type Paragraph, type Part, type Sentence } from "./parts.js";
import { termLabel } from "./terms.js";

function conditionsOf(doc: DesignDocument): string[] {
  if (doc.design === "crossover") return doc.study.conditions ?? [];
  return doc.study.groups ? [doc.study.groups.reference, doc.study.groups.treatment] : [];
}

function levelsOf(doc: DesignDocument) {
  const c = conditionsOf(doc);
  return doc.design === "crossover" ? { condition: c, period: ["1", "2"] } : { arm: c };
}

export function designMethodsParagraphs(doc: DesignDocument, options: { command?: string } = {}): Paragraph[] {
  const s = doc.study;
  const crossover = doc.design === "crossover";
  const conds = conditionsOf(doc);
  const n = Object.values(s.n_participants).reduce((a, b) => a + b, 0);
  const scales = [s.clinical_scale.name, ...s.secondary_scales.map((x) => x.name)];
  const out: Paragraph[] = [];
  const design: Sentence[] = [];
  if (s.synthetic) design.push(["The data are synthetic: a simulated cohort calibrated to published summary statistics, not patient data."]);
  if (crossover) {
    const seqs = Object.entries(s.sequences ?? {}).map(([k, v]) => `${k} (${v.join(" then ")}, n = ${int(s.n_participants[k] ?? 0)})`);
    design.push([`In this two-period crossover trial (${s.title}), ${plural(n, "participant")} received the conditions ${list(conds)} in one of the sequences ${list(seqs)}.`]);
  } else {
    design.push([`In this two-arm parallel-group trial (${s.title}), ${plural(n, "participant")} were allocated to ${list(conds.map((c) => `${c} (n = ${int(s.n_participants[c] ?? 0)})`))}.`]);
  }
  design.push([
    `The ${scales.length > 1 ? "scales were" : "scale was"} ${list(scales)}${scales.length > 1 ? ` (primary: ${s.clinical_scale.name})` : ""}, scored at ${list(s.sessions)} (${int(s.n_scores)} assessments); ${s.sessions[0]} is the baseline${crossover ? " of each period" : ""}.`,
  ]);
  out.push({ id: "methods-design", title: "Design", sentences: design });

  const an: Sentence[] = [];
  an.push([`The change is the score minus the baseline score${crossover ? " of the same period" : ""}; a responder had ${s.response.rule.replace(/^responder:\s*/, "")}.`]);
  if (crossover)
    an.push(
      sentence(
        "For each scale and time point after the baseline the change was analysed with the linear mixed model ",
        { code: (doc.options.model ?? "").replace(/ \(REML, Satterthwaite df\)$/, "") },
        `, fitted by restricted maximum likelihood (REML), with t tests with Satterthwaite degrees of freedom; treatment contrasts with ${conds[0]} and period 1 as reference levels. `,
        `Paired response at ${s.response.session} was compared with the exact McNemar test, with the odds ratio b/c and its exact interval; the response rate of each condition has its exact (Clopper–Pearson) 95% interval. `,
        `Carry-over was examined with ${doc.options.carryover_test ?? "Grizzle's test"}; it has little power and was not used to choose the analysis.`,
      ),
    );
  else
    an.push(
      sentence(
        "For each scale and time point after the baseline the score was analysed by analysis of covariance (ordinary least squares), ",
        { code: (doc.options.model ?? "").replace(/^ANCOVA /, "").replace(/ \(OLS\)$/, "") },
        `, with ${conds[0]} as the reference arm; adjusted means are given at the mean baseline. `,
        `Response at ${s.response.session} was compared between arms with Fisher's exact test (conditional maximum-likelihood odds ratio with its exact interval, and the sample odds ratio with Woolf's interval); each arm's response rate has its exact (Clopper–Pearson) 95% interval.`,
      ),
    );
  out.push({ id: "methods-analysis", title: "Analysis", sentences: an });
  const soft: Sentence[] = [options.command ? sentence(`Analyses were run with ${KIT_NAME} version ${doc.kit_version}: `, { code: options.command }, ".") : [`Analyses were run with ${KIT_NAME} version ${doc.kit_version}.`]];
  soft.push([`Cite: ${KIT_NAME} (version ${doc.kit_version}), and for the study: ${s.citation}`.replace(/([^.])$/, "$1.")]);
  out.push({ id: "methods-software", title: "Software and citation", sentences: soft });
  return out;
}

export function designResultsParagraphs(doc: DesignDocument): Paragraph[] {
  const s = doc.study;
  const o = doc.outcomes;
  const crossover = doc.design === "crossover";
  const out: Paragraph[] = [];
  const resp: Sentence[] = [];
  if (s.synthetic) resp.push(["All results below are of synthetic data."]);
  const rates: string[] = o.response.map((r) => `${r.condition} ${int(r.responders)} of ${int(r.n)} (${percent(r.rate)}, 95% CI [${num(r.ci ? 100 * r.ci[0] : null, 1)}%, ${num(r.ci ? 100 * r.ci[1] : null, 1)}%])`);
  resp.push([`At ${s.response.session}, the responders on the ${s.response.scale} were ${list(rates)}.`]);
  if (o.mcnemar) {
    const m = o.mcnemar;
    resp.push(
      sentence(
        `Of ${plural(m.n_pairs, "pair")}${m.n_incomplete ? ` (${int(m.n_incomplete)} incomplete left out)` : ""}, ${int(m.both)} responded under both conditions, ${int(m.b)} under ${m.condition_a} only, ${int(m.c)} under ${m.condition_b} only and ${int(m.neither)} under neither; exact McNemar test `,
        p(m.p),
        `, odds ratio ${num(m.odds_ratio)}, ${ci(m.ci)}.`,
      ),
    );
  }
  if (o.fisher) {
    const f = o.fisher;
    resp.push(sentence(`Fisher's exact test (${f.rows[0]} vs ${f.rows[1]}, N = ${int(f.n)}): `, p(f.p), `, conditional odds ratio ${num(f.conditional_or.estimate)}, ${ci(f.conditional_or.ci)}; sample odds ratio ${num(f.sample_or.estimate)}, ${ci(f.sample_or.ci)}.`));
  }
  out.push({ id: "results-response", title: "Response", sentences: resp });

  const mod: Sentence[] = [];
  const levels = levelsOf(doc);
  for (const m of o.models) {
    if (m.error) {
      mod.push([`${m.scale} at ${m.session}: the model could not be fitted (${m.error}).`]);
      continue;
    }
    const k = m.fixed.find((r) => r.term === m.key_term);
    if (!k) continue;
    const parts: Part[] = sentence(
      `${m.scale} at ${m.session} (${int(m.n_obs)} ${crossover ? "observations" : "participants"}${crossover && m.n_groups !== null ? ` of ${int(m.n_groups)} participants` : ""}): ${termLabel(k.term, levels)}, β = ${num(k.estimate)}, SE = ${num(k.se)}, ${ci(k.ci ?? null)}, `,
      t(k.t, k.df),
      ", ",
      p(k.p),
    );
    if (crossover && m.period_term) {
      const pr = m.fixed.find((r) => r.term === m.period_term);
      if (pr) parts.push(...sentence(`; period 2, β = ${num(pr.estimate)}, `, t(pr.t, pr.df), ", ", p(pr.p)));
    }
    const a = o.ancova?.find((x) => x.scale === m.scale && x.session === m.session);
    if (a && !a.error) parts.push(`; adjusted means at baseline ${num(a.baseline_mean)}: ${list(a.adjusted_means.map((x) => `${x.arm} ${num(x.mean)} ${ci(x.ci)}`))}${a.n_excluded ? ` (${int(a.n_excluded)} left out, missing score)` : ""}`);
    const c = o.carryover?.find((x) => x.scale === m.scale && x.session === m.session);
    if (c && !c.error) parts.push(...sentence(`; carry-over (Grizzle) difference ${num(c.estimate)}, `, t(c.t, c.df), ", ", p(c.p)));
    parts.push(".");
    mod.push(parts);
  }
  out.push({ id: "results-models", title: crossover ? "Mixed models" : "ANCOVA", sentences: mod });
  if (doc.published?.figures.length) {
    out.push({
      id: "results-published",
      title: "Published values",
      sentences: [[`The publication (${doc.published.citation}) reports: ${list(doc.published.figures.map((f) => `${f.what} ${f.value}${f.source === "published" ? "" : ` (${f.source})`}`), "and")}.`]],
    });
  }
  return out;
}
