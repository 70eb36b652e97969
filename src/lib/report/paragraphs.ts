/**
 * The methods and results paragraphs of a belief-updating study, generated from its analyze
 * document (src/lib/analysis/report.ts `analysisDocument`): every sentence and every number comes
 * from the document, nothing is typed per study. A synthetic study says so in the first sentence of
 * both sections; a study with `synthetic: false` never says "synthetic". Pure: no DOM.
 */
import type { AnalysisDocument } from "../analysis/report.js";
import { F, MINUS, ci, df as fdf, int, list, num, p, plural, t, unitNum, z } from "./format.js";
import { alpha, sentence, type Paragraph, type Part, type Sentence } from "./parts.js";
import { termLabel, anovaTermLabel, type TermLevels } from "./terms.js";

/** The kit's name in citations. */
export const KIT_NAME = "belief-updating-kit";

/** What one needs of the document; the fields added after version 0.1.0 are optional. */
export type ReportDocument = AnalysisDocument;

type Anova = { term: string; type: number; num_df: number; den_df: number | null; F: number | null; p: number | null };
type VarCorr = { grp: string; var1: string | null; var2: string | null; vcov: number; sdcor: number };

export function anovaRows(doc: ReportDocument): Anova[] {
  return ((doc.lmm as { anova?: Anova[] }).anova ?? []) as Anova[];
}
export function varcorrRows(doc: ReportDocument): VarCorr[] {
  return ((doc.lmm as { varcorr?: VarCorr[] }).varcorr ?? []) as VarCorr[];
}

interface ModelSelectionLike {
  models: string[];
  method?: string;
  overall: { alpha: Record<string, number>; frequency: Record<string, number>; exceedance: Record<string, number>; protected_exceedance?: Record<string, number> | null; bor?: number | null; exceedance_method?: string; exceedance_samples?: number | null };
  families?: { names: string[]; members: string[][]; frequency: number[]; exceedance: number[]; protected_exceedance?: number[] | null; bor?: number | null } | null;
  notes?: string[];
}
export function modelSelectionOf(doc: ReportDocument): ModelSelectionLike | null {
  return ((doc as { model_selection?: ModelSelectionLike | null }).model_selection ?? null) as ModelSelectionLike | null;
}

/** The factor levels of the document's mixed model, for readable term names. */
export function termLevels(doc: ReportDocument): TermLevels {
  return { group: doc.design.groups, session: doc.study.sessions, valence: ["bad", "good"] };
}

// ------------------------------------------------------------------------------------------------
// The learning-rate models, in words and as an equation (plain text with the symbols as parts).

interface ModelText {
  name: string;
  equation: Part[];
  words: string;
}

const E = (k: string): Part[] => ["E", { sub: k }];
const core = (rate: Part[]): Part[] => [...E("2"), " = ", ...E("1"), " + ", ...rate, "(BR ", MINUS, " ", ...E("1"), ") + ε"];

export function modelText(model: string): ModelText {
  switch (model) {
    case "single":
      return { name: "single-rate model", equation: core(["α"]), words: "one learning rate for good and bad news" };
    case "valence":
      return { name: "valence model", equation: [...core(alpha("v")), ", v ∈ {good, bad}"], words: "one learning rate after good news and one after bad news" };
    case "scaling-asymmetry":
      return { name: "scaling-asymmetry model", equation: [...core(alpha("t")), ", α", { sub: "t" }, " = s + N", { sub: "t" }, "k, N = +1 (good news), ", MINUS, "1 (bad news)"], words: "a mean learning rate s and a half-asymmetry k" };
    case "ee-weighted":
      return {
        name: "EE-weighted model",
        equation: [...core(alpha("t")), ", α", { sub: "t" }, " = α", { sub: "v" }, " + β(|EE| ", MINUS, " mean|EE|)/SD|EE|"],
        words: "valence-specific learning rates (at the participant-session's mean |EE|) that change by β per SD of |EE|",
      };
    case "vb-exp-asymmetry":
      return { name: "Bayesian exponential-asymmetry model", equation: [...core(alpha("t")), ", α", { sub: "t" }, " = e", { sub: "a" }, " + N", { sub: "t" }, "e", { sub: "b" }], words: "a mean learning rate e^a and a positive asymmetry 2e^b (Greaves' model)" };
    case "vb-signed-asymmetry":
      return { name: "Bayesian signed-asymmetry model", equation: [...core(alpha("t")), ", α", { sub: "t" }, " = e", { sub: "a" }, " + N", { sub: "t" }, "b"], words: "a mean learning rate e^a and a signed half-asymmetry b" };
    case "vb-single":
      return { name: "Bayesian single-rate model", equation: core(["e", { sub: "a" }]), words: "one learning rate e^a for good and bad news" };
    case "vb-ee-scaled":
      return { name: "Bayesian EE-scaled model", equation: [...core(alpha("t")), ", α", { sub: "t" }, " = (|EE|/5)e", { sub: "a" }, " + N", { sub: "t" }, "e", { sub: "b" }], words: "a learning rate proportional to |EE| plus a positive asymmetry 2e^b" };
    default:
      return { name: `${model} model`, equation: core(alpha("t")), words: "the model's learning rates" };
  }
}

function fittingMethod(doc: ReportDocument): string {
  const o = doc.options;
  if (o.model.startsWith("vb-"))
    return "by variational Laplace (as the VBA toolbox), a Gaussian prior on the parameters and a Gamma prior on the noise precision, for each participant and session";
  if (o.hierarchical)
    return "by empirical-Bayes maximum a posteriori estimation: Gaussian group priors per group and session fitted by expectation-maximisation (Huys et al., 2011) with a Laplace approximation";
  return "by least squares (equal to maximum likelihood with Gaussian noise), separately for each participant and session";
}

// ------------------------------------------------------------------------------------------------

function syntheticSentence(doc: ReportDocument): Sentence | null {
  return doc.study.synthetic ? ["The data are synthetic: a simulated cohort calibrated to published summary statistics, not patient data."] : null;
}

function groupsText(doc: ReportDocument): string {
  return list(Object.entries(doc.study.n_participants).map(([g, n]) => `${g} (n = ${int(n)})`));
}

/** The methods paragraphs: design, task scoring, learning-rate model, mixed model, mediation, software. */
export function methodsParagraphs(doc: ReportDocument, options: { command?: string } = {}): Paragraph[] {
  const s = doc.study;
  const o = doc.options;
  const sc = doc.scoring;
  const out: Paragraph[] = [];
  const nTotal = Object.values(s.n_participants).reduce((a, b) => a + b, 0);

  // Design.
  const design: Sentence[] = [];
  const syn = syntheticSentence(doc);
  if (syn) design.push(syn);
  design.push([
    `The study (${s.title}) has ${plural(nTotal, "participant")} in ${plural(Object.keys(s.n_participants).length, "group")}, ${groupsText(doc)}, and ${plural(s.sessions.length, "session")} (${list(s.sessions)}); ${
      s.sessions.length > 1 ? `the first session, ${s.sessions[0]}, is the baseline` : "all trials are from that one session"
    }.`,
  ]);
  const pos = doc.design.positive_events.length;
  design.push([
    `Participants estimated the probability of adverse${pos ? " and desirable" : ""} life events (first estimate E1), were shown the base rate (BR) and estimated again (E2); ${int(s.n_trials)} trials were recorded${pos ? `, ${plural(pos, "event")} of them ${pos === 1 ? "is" : "are"} desirable` : ""}.`,
  ]);
  out.push({ id: "methods-design", title: "Design", sentences: design });

  // Scoring.
  const ref = o.news_reference === "estimated_base_rate" ? "the participant's own estimate of the base rate" : "the base rate shown";
  const scoring: Sentence[] = [
    sentence(
      "The estimation error was EE = E",
      { sub: "1" },
      ` ${MINUS} BR, with BR ${ref}. News was good when BR < E`,
      { sub: "1" },
      pos ? " for an adverse event and when BR > E" : "",
      pos ? { sub: "1" } : "",
      pos ? " for a desirable one" : "",
      ", and bad otherwise; the update is the change of the estimate toward the base rate (E",
      { sub: "1" },
      ` ${MINUS} E`,
      { sub: "2" },
      " when BR < E",
      { sub: "1" },
      `, E`,
      { sub: "2" },
      ` ${MINUS} E`,
      { sub: "1" },
      " when BR > E",
      { sub: "1" },
      ").",
    ),
  ];
  const excl: string[] = [`${int(sc.missing)} with a missing response`, `${int(sc.zeroError)} with EE = 0`, `${int(sc.outOfRange)} with a value outside [${o.valid_range[0]}, ${o.valid_range[1]}]`];
  if (o.max_recall_error !== null) excl.push(`${int(sc.recallError)} whose recalled base rate was more than ${o.max_recall_error} points off`);
  scoring.push([`Of the ${int(sc.total)} trials, ${int(sc.scored)} were scored; ${list(excl)} were excluded.`]);
  const ex = sc.excluded_participant_sessions;
  scoring.push([
    ex.length
      ? `${plural(ex.length, "participant-session")} with fewer than ${o.min_trials_per_valence} scored trial${o.min_trials_per_valence === 1 ? "" : "s"} of either valence ${ex.length === 1 ? "was" : "were"} left out of the model fits (${list(ex.slice(0, 10).map((e) => `${e.participant_id} ${e.session}`))}${ex.length > 10 ? `, and ${ex.length - 10} more` : ""}).`
      : o.min_trials_per_valence <= 1
        ? "Every participant-session had scored trials of both valences."
        : `No participant-session had fewer than ${o.min_trials_per_valence} scored trials of either valence.`,
  ]);
  out.push({ id: "methods-scoring", title: "Task scoring", sentences: scoring });

  // Learning rates.
  const m = modelText(o.model);
  const lr: Sentence[] = [
    sentence(`Learning rates were estimated with the ${m.name} (${m.words}), `, m.equation, ", ε ~ N(0, σ²), ", fittingMethod(doc), "."),
    sentence("The learning-rate asymmetry is ", alpha("good"), ` ${MINUS} `, alpha("bad"), "."),
  ];
  if (doc.model_comparison) {
    const models = doc.model_comparison.totals.map((x) => x.model);
    lr.push([`The least-squares models (${list(models)}) were compared by the Bayesian information criterion (BIC = k ln n ${MINUS} 2 ln L) summed over participant-sessions${doc.model_comparison.totals.some((x) => x.ibic !== null) ? ", and by the integrated BIC of the hierarchical fits" : ""}.`]);
  }
  const ms = modelSelectionOf(doc);
  if (ms) lr.push([`The Bayesian models (${list(ms.models)}) were compared by ${ms.method ?? "random-effects Bayesian model selection on their free energies"}.`]);
  out.push({ id: "methods-learning-rates", title: "Learning rates", sentences: lr });

  // Mixed model.
  const l = doc.lmm;
  const lmm: Sentence[] = [
    sentence(
      `Updates were analysed with a linear mixed model on the ${o.lmm_level === "trials" ? "scored trials" : "participant × session × valence means of the scored trials"}${l.sessions.length ? ` of session${l.sessions.length > 1 ? "s" : ""} ${list(l.sessions)}` : ""}, `,
      { code: l.formula },
      ", fitted by restricted maximum likelihood (REML); fixed effects were tested with t tests with Satterthwaite degrees of freedom (as lmerTest), with treatment contrasts: reference levels ",
      list([doc.design.groups.length > 1 ? `group ${doc.design.groups[0]}` : "", l.sessions.length > 1 ? `session ${l.sessions[0]}` : "", "bad news"].filter(Boolean)),
      ".",
    ),
  ];
  if (anovaRows(doc).length) {
    const types = [...new Set(anovaRows(doc).map((a) => a.type))].sort((a, b) => b - a);
    lmm.push(sentence(`Each term was also tested as a whole with type ${list(types.map((x) => (x === 3 ? "III" : x === 2 ? "II" : String(x))))} F tests with Satterthwaite denominator degrees of freedom.`));
  }
  const covs = doc.design.covariates.filter((c) => new RegExp(`\\+ ${c.name}\\b`).test(l.formula));
  if (covs.length) lmm.push([`Covariates: ${list(covs.map((c) => `${c.name} (known for ${int(c.n_known)} participants)`))}; rows with an unknown covariate are left out.`]);
  for (const note of l.notes) lmm.push([`The design's formula leaves a factor out: ${note}.`]);
  out.push({ id: "methods-lmm", title: "Mixed model", sentences: lmm });

  // Mediation.
  const md = doc.mediation;
  const med: Sentence[] = [];
  if (md.not_applicable) med.push([`No mediation analysis applies to this design: ${md.not_applicable}.`]);
  else {
    med.push(
      sentence(
        `The mediation of the clinical change by the change in learning-rate asymmetry was tested within participants (Montoya & Hayes, 2017) in group ${md.group}: the mediator is the change in asymmetry from ${md.mediator.from} to ${md.mediator.to} (ΔM), the outcome the change in ${md.outcome.measure} from ${md.outcome.from} to ${md.outcome.to} (ΔY). `,
        "Path a is the mean of ΔM, the total effect c the mean of ΔY; ΔY was regressed on ΔM and the centred mean of the two mediator values, giving b (the slope of ΔM) and the direct effect c′ (the intercept). The indirect effect is a·b, tested with the Sobel test",
        o.boot > 0 ? ` and a participant bootstrap of ${int(o.boot)} resamples (seed ${o.seed}) with percentile and bias-corrected and accelerated (BCa, jackknife acceleration) 95% intervals.` : "; no bootstrap was run.",
      ),
    );
  }
  out.push({ id: "methods-mediation", title: "Mediation", sentences: med });

  // Software.
  const soft: Sentence[] = [
    [`Analyses were run with ${KIT_NAME} version ${doc.kit_version}${options.command ? "" : "."}`],
  ];
  if (options.command) soft[0] = sentence(`Analyses were run with ${KIT_NAME} version ${doc.kit_version}: `, { code: options.command }, ".");
  soft.push([`Cite: ${KIT_NAME} (version ${doc.kit_version}), and for the study: ${s.citation}`.replace(/([^.])$/, "$1.")]);
  out.push({ id: "methods-software", title: "Software and citation", sentences: soft });
  return out;
}

// ------------------------------------------------------------------------------------------------

function fixedSentence(r: { term: string; estimate: number; se: number; df: number | null; t: number; p: number | null; ci?: number[] | null }, levels: TermLevels): Part[] {
  return sentence(`(${termLabel(r.term, levels)}), β = ${num(r.estimate)}, SE = ${num(r.se)}, ${ci(r.ci ?? null)}, `, t(r.t, r.df), ", ", p(r.p));
}

/** The results paragraphs: learning rates, model comparison, mixed model, mediation. */
export function resultsParagraphs(doc: ReportDocument): Paragraph[] {
  const out: Paragraph[] = [];
  const syn = syntheticSentence(doc);

  // Learning rates.
  const lr: Sentence[] = [];
  if (syn) lr.push(["All results below are of synthetic data."]);
  const rows = doc.learning_rate_summary;
  const groups = [...new Set(rows.map((r) => r.group))];
  for (const g of groups) {
    const bySession = [...new Set(rows.filter((r) => r.group === g).map((r) => r.session))];
    const parts: Part[][] = bySession.map((sess) => {
      const good = rows.find((r) => r.group === g && r.session === sess && r.valence === "good");
      const bad = rows.find((r) => r.group === g && r.session === sess && r.valence === "bad");
      return sentence(`${sess} (n = ${good?.n ?? bad?.n ?? 0}) `, alpha("good"), ` M = ${num(good?.mean, 2)} (SEM ${num(good?.sem, 2)}), `, alpha("bad"), ` M = ${num(bad?.mean, 2)} (SEM ${num(bad?.sem, 2)})`);
    });
    const joined: Part[] = [];
    parts.forEach((x, i) => joined.push(...(i ? ["; "] : []), ...x));
    lr.push(sentence(`In ${g}, the mean learning rates were: `, joined, "."));
  }
  if (doc.model_comparison) {
    const tot = doc.model_comparison.totals;
    const best = tot.filter((x) => x.delta_bic === 0).map((x) => x.model);
    const next = tot.filter((x) => x.delta_bic > 0).sort((a, b) => a.delta_bic - b.delta_bic)[0];
    const bestRow = tot.find((x) => x.delta_bic === 0);
    lr.push([
      `The summed BIC was lowest for the ${list(best)} model${best.length > 1 ? "s (tied)" : ""}${next ? `, ${num(next.delta_bic, 1)} below the next model (${next.model})` : ""}; ${bestRow ? `${best.length > 1 ? "they were" : "it was"} best for ${int(bestRow.n_best)} of ${int(bestRow.n_fits)} participant-sessions` : ""}.`,
    ]);
  }
  const ms = modelSelectionOf(doc);
  if (ms) {
    const fr = ms.overall.frequency;
    const top = [...ms.models].sort((a, b) => (fr[b] ?? 0) - (fr[a] ?? 0))[0];
    const pxp = ms.overall.protected_exceedance?.[top];
    lr.push([
      `In the Bayesian model selection, the ${top} model had the highest estimated frequency (${unitNum(fr[top], 2)}), an exceedance probability of ${unitNum(ms.overall.exceedance[top], 3)}${pxp !== undefined && pxp !== null ? ` and a protected exceedance probability of ${unitNum(pxp, 3)}` : ""}${ms.overall.bor !== undefined && ms.overall.bor !== null ? `; Bayesian omnibus risk BOR ${ms.overall.bor < 0.001 ? "< .001" : `= ${unitNum(ms.overall.bor, 3)}`}` : ""}.`,
    ]);
  }
  out.push({ id: "results-learning-rates", title: "Learning rates", sentences: lr });

  // Mixed model.
  const l = doc.lmm;
  const levels = termLevels(doc);
  const lmm: Sentence[] = [];
  if (l.error) lmm.push([`The mixed model could not be fitted: ${l.error}.`]);
  else {
    lmm.push([`The mixed model was fitted to ${int(l.n_obs)} observations of ${int(l.n_groups)} participants (REML criterion ${num(l.reml_criterion, 2)})${l.singular ? "; the fit is singular (a random-effect variance at zero)" : ""}${l.rank_deficient.length ? `; rank deficient, ${list(l.rank_deficient)} dropped` : ""}.`]);
    const key = l.fixed.find((r) => r.term === l.key_term);
    if (key) lmm.push(sentence("For the key term ", fixedSentence(key, levels), "."));
    const valence = l.fixed.find((r) => r.term === "valencegood");
    if (valence && valence !== key) lmm.push(sentence("For the valence term at the reference levels ", fixedSentence(valence, levels), "."));
    const a3 = anovaRows(doc).filter((a) => a.type === 3);
    const anova = a3.length ? a3 : anovaRows(doc);
    if (anova.length) {
      const items: Part[] = [];
      anova.forEach((a, i) => items.push(...(i ? ["; "] : []), `${anovaTermLabel(a.term)}, `, ...F(a.F, a.num_df, a.den_df), ", ", ...p(a.p)));
      lmm.push(sentence(`Type ${anova[0].type === 3 ? "III" : "II"} F tests: `, items, "."));
    }
    const vc = varcorrRows(doc);
    if (vc.length) {
      const sds = vc.filter((v) => v.var2 === null).map((v) => (v.grp === "Residual" ? `residual SD ${num(v.sdcor)}` : `SD of the ${v.var1 === "(Intercept)" ? "intercept" : termLabel(v.var1 ?? "", levels)} over ${v.grp} ${num(v.sdcor)}`));
      const cors = vc.filter((v) => v.var2 !== null).map((v) => `correlation of ${termLabel(v.var1 ?? "", levels)} and ${termLabel(v.var2 ?? "", levels)} ${unitNum(v.sdcor)}`);
      lmm.push([`Random effects: ${list([...sds, ...cors])}.`]);
    } else if (l.random) lmm.push([`Random effects: SD of the participant intercept ${num(l.random.participant_sd)}, residual SD ${num(l.random.residual_sd)}.`]);
    lmm.push(["The table of fixed effects lists every term."]);
  }
  out.push({ id: "results-lmm", title: "Mixed model", sentences: lmm });

  // Mediation.
  const md = doc.mediation;
  const med: Sentence[] = [];
  if (md.not_applicable) med.push([`No mediation was computed: ${md.not_applicable}.`]);
  else if (md.error) med.push([`The mediation could not be computed: ${md.error}.`]);
  else if (md.paths) {
    const P = md.paths;
    const path = (name: string, x: { estimate: number; se: number | null; t: number | null; df: number; p: number | null }) => sentence(`${name} = ${num(x.estimate)}, SE = ${num(x.se)}, `, t(x.t, x.df), ", ", p(x.p));
    med.push(sentence(`In ${md.group} (n = ${int(md.n)}${md.excluded.length ? `; ${plural(md.excluded.length, "participant")} without both values left out` : ""}), the asymmetry changed from ${md.mediator.from} to ${md.mediator.to} by `, path("a", P.a), `, and ${md.outcome.measure} from ${md.outcome.from} to ${md.outcome.to} by `, path("c", P.c), "."));
    med.push(sentence("The change in asymmetry predicted the clinical change, ", path("b", P.b), "; the direct effect was ", path("c′", P.c_prime), "."));
    const boot = md.boot;
    med.push(
      sentence(
        `The indirect effect was a·b = ${num(md.indirect)}`,
        boot ? `, 95% ${boot.bca ? "BCa" : "percentile"} CI ${boot.bca ? `[${num(boot.bca[0])}, ${num(boot.bca[1])}]` : boot.percentile ? `[${num(boot.percentile[0])}, ${num(boot.percentile[1])}]` : "–"} (${int(boot.resamples)} bootstrap resamples, seed ${boot.seed}${boot.valid !== boot.resamples ? `, ${int(boot.valid)} valid` : ""}; percentile CI [${num(boot.percentile?.[0])}, ${num(boot.percentile?.[1])}], bootstrap SE ${num(boot.se)})` : " (no bootstrap)",
        `; Sobel test SE = ${num(md.sobel_se)}, `,
        z(md.sobel_z),
        ", ",
        p(md.sobel_p),
        ".",
      ),
    );
    if (md.sensitivity) med.push(sentence("The indirect effect would vanish if the errors of the mediator and outcome equations correlated at ", { i: "ρ" }, ` = ${unitNum(md.sensitivity.rho_zero)} (Imai, Keele & Yamamoto, 2010).`));
  }
  out.push({ id: "results-mediation", title: "Mediation", sentences: med });

  // The publication the study was calibrated to.
  const pub = doc.published;
  if (pub) {
    const ps: Sentence[] = [];
    const k = l.fixed.find((r) => r.term === l.key_term);
    if (pub.lmm && k) ps.push(sentence(`The publication (${pub.citation}) reports for ${pub.lmm.term} β = ${num(pub.lmm.beta)}, ${ci(pub.lmm.ci95)}, `, t(pub.lmm.t, pub.lmm.df), ", ", p(pub.lmm.p), `. ${pub.lmm.note}`));
    if (pub.mediation && !md.not_applicable) ps.push(sentence(`It reports an indirect effect of ${num(pub.mediation.indirect)} (SEM ${num(pub.mediation.sem)}), `, z(pub.mediation.z), ", ", p(pub.mediation.p), "."));
    if (ps.length) out.push({ id: "results-published", title: "Published values", sentences: ps });
  }
  return out;
}

export { fdf as formatDf };
