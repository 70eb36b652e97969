/**
 * The named figures of the kit: each draws one dashboard chart (or a composition of charts) with
 * the chart functions of src/components, from the analysis of src/lib/analysis/pipeline for one set of
 * parameters, exactly as the dashboard pages call them. Used by `npm run figures` (jsdom), by the
 * embeddable modules (src/embed) and the tests. Pure apart from the passed document.
 *
 * Each build returns the chart element, its caption text and the numbers it shows (for the
 * sidecar JSON). The synthetic cohort's captions say so (the same note the pages append).
 */
import { bootstrapHistogram } from "../components/bootstrap-histogram.js";
import { clinicalTrajectory } from "../components/clinical-trajectory.js";
import { lrMeansChart } from "../components/lr-means.js";
import { learningRateSummary, lrSlopeChart } from "../components/lr-slopes.js";
import { mediationScatter } from "../components/mediation-scatter.js";
import { deltaBic, modelComparisonChart } from "../components/model-comparison.js";
import { participantTrials } from "../components/participant-trials.js";
import { pathDiagram } from "../components/path-diagram.js";
import { sensitivityCurve } from "../components/sensitivity-curve.js";
import { updatesChart } from "../components/updates-chart.js";
import { mediationLine, mediationPoints, mediationSensitivity, prepareMediationData, type MediationResult } from "../lib/mediation/index.js";
import type { AnalysisParams } from "../lib/analysis/params.js";
import { analyzeStudy, designOf, type AnalysisResult, type MediationPhase } from "../lib/analysis/pipeline.js";
import { PUBLISHED } from "../lib/study/published.js";
import type { Study } from "../lib/study/types.js";
import { FIGURE_LIST } from "./names.js";
import { groupComparison } from "../lib/models/comparison.js";
import { syntheticNote } from "../lib/study/provenance.js";
import { EXPORT_PADDING, type ThemeName } from "./svg-export.js";
import { PRINT_TYPE, SCREEN_TYPE, type TypeScale } from "../components/theme.js";

/** The note the pages append to every caption of a synthetic cohort (one text: lib/study/provenance.ts). */
export { SYNTHETIC_NOTE } from "../lib/study/provenance.js";

export interface FigureContext {
  study: Study;
  analysis: AnalysisResult;
  params: AnalysisParams;
  document: Document;
  /** Width of the whole figure in px (CSS px); charts get this minus the export padding. */
  width: number;
  theme: ThemeName;
  /** Participant of the participant panel (default: params.sel[0], else the first treatment participant). */
  participant?: string;
  /**
   * "print" (npm run figures): every chart is drawn at its panel's width, never scaled, in
   * PRINT_TYPE (components/theme.ts), so the exported text has the print type scale. "screen"
   * (default; embeds): SCREEN_TYPE, 12 px chart text.
   */
  media?: "print" | "screen";
}

export interface BuiltFigure {
  element: HTMLElement | SVGSVGElement;
  caption: string;
  /** The numbers the figure shows, JSON-serialisable. */
  numbers: Record<string, unknown>;
}

export interface FigureSpec {
  name: string;
  title: string;
  /** True for the figures the issue requires; the others are extras. */
  core: boolean;
  build(ctx: FigureContext): BuiltFigure;
}

/** A figure that cannot be drawn for these parameters (e.g. the bootstrap with boot = 0). */
export class FigureUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FigureUnavailableError";
  }
}

function noteOf(study: Study): string | undefined {
  return syntheticNote(study.meta);
}

function groupsOf(study: Study): string[] {
  return designOf(study).groups;
}

/** Name of the clinical scale (a figure that shows it is only built for a study that has one). */
function scaleName(study: Study): string {
  return study.meta.clinical_scale?.name ?? "clinical score";
}

function groupMap(study: Study): Map<string, string> {
  return new Map(study.participants.map((p) => [p.participant_id, p.group]));
}

/**
 * Width the charts are drawn at: the figure's less the export padding. Never wider (the export
 * would scale the chart and its text down, off the type scale): charts lay themselves out for
 * narrow widths (stacked facets, measured margins, shorter labels).
 */
function chartWidth(ctx: FigureContext): number {
  return Math.max(200, Math.round(ctx.width - 2 * EXPORT_PADDING));
}

/** The type scale of the context's medium. */
export function typeFor(ctx: { media?: "print" | "screen" }): TypeScale {
  return ctx.media === "print" ? PRINT_TYPE : SCREEN_TYPE;
}

function captionOf(element: Element): string {
  const fc = [...element.querySelectorAll("figcaption")];
  return fc.map((f) => (f.textContent ?? "").replace(/\s+/g, " ").trim()).join(" ");
}

function built(element: HTMLElement | SVGSVGElement, numbers: Record<string, unknown>): BuiltFigure {
  return { element, caption: captionOf(element), numbers };
}

/**
 * Several chart figures as one `<figure>`: the title, the panels (their own titles prefixed A, B,
 * …, their captions removed) side by side when `row`, else stacked, and one caption.
 */
export function composeFigure(doc: Document, title: string, panels: Element[], options: { row: boolean; note?: string; name: string }): HTMLElement {
  const figure = doc.createElement("figure");
  figure.setAttribute("data-figure", options.name);
  figure.setAttribute("data-layout", options.row ? "row" : "column");
  // max-width: none, not Framework's 640 px for figures: an embed takes the width it is given.
  figure.setAttribute("style", `margin: 0; max-width: none; ${options.row ? "display: flex; gap: 12px; flex-wrap: wrap;" : ""}`);
  const h2 = doc.createElement("h2");
  h2.textContent = title;
  h2.setAttribute("style", "flex-basis: 100%; max-width: none;"); // a whole row: not capped at 640 px, or the panels would share its line
  figure.append(h2);
  const parts: string[] = [];
  panels.forEach((panel, i) => {
    const letter = String.fromCharCode(65 + i);
    const sub = panel.querySelector(":scope > h2");
    if (sub) {
      const h3 = doc.createElement("h3");
      h3.textContent = `${letter}. ${sub.textContent ?? ""}`;
      sub.replaceWith(h3);
    }
    // Side by side, panels share the row equally (as the SVG export lays them out).
    if (options.row) panel.setAttribute("style", [panel.getAttribute("style")?.replace(/;\s*$/, ""), "flex: 1 1 0; min-width: 0; margin: 0;"].filter(Boolean).join("; "));
    for (const fc of panel.querySelectorAll(":scope > figcaption")) {
      parts.push(`${letter}: ${(fc.textContent ?? "").trim()}`);
      fc.remove();
    }
    figure.append(panel);
  });
  const caption = doc.createElement("figcaption");
  caption.setAttribute("style", "flex-basis: 100%; max-width: none;");
  caption.textContent = [...parts, options.note ?? ""].filter(Boolean).join(" ");
  figure.append(caption);
  return figure;
}

function requireMediation(m: MediationPhase): MediationPhase & { a: number; b: number; c: number; c_prime: number; indirect: number; line_model: MediationResult["line_model"]; paths: MediationResult["paths"] } {
  if (m.error !== null || !("indirect" in m)) throw new FigureUnavailableError(`mediation not computed: ${m.error ?? "no estimate"}`);
  return m as never;
}

function requireBoot(m: MediationPhase): MediationPhase & MediationResult {
  const r = requireMediation(m);
  if (!r.bootstrapped) throw new FigureUnavailableError("the bootstrap is off (boot=0): choose a number of resamples, e.g. --params boot=5000");
  return r as never;
}

function scatterFigure(ctx: FigureContext, width: number, note: string | undefined) {
  const { study, params, document } = ctx;
  const med = requireMediation(ctx.analysis.mediation);
  const points = mediationPoints(med.rows);
  const line = mediationLine(med.line_model, { points: 60 });
  const element = mediationScatter(points, line, {
    document,
    type: typeFor(ctx),
    width,
    height: Math.round(Math.min(440, width * 0.75)),
    xLabel: `Δ learning-rate asymmetry (${params.med.join(" → ")})`,
    yLabel: `Δ ${scaleName(study)} (${params.out.join(" → ")}, points)`,
    selected: params.sel,
    note,
  });
  return { element, med, points, line };
}

function pathFigure(ctx: FigureContext, width: number, note: string | undefined, title?: string) {
  const { study, params, document } = ctx;
  const med = requireMediation(ctx.analysis.mediation);
  const boot = med.bootstrapped ? (med as unknown as MediationResult).boot : null;
  const element = pathDiagram(
    {
      a: med.a,
      b: med.b,
      c: med.c,
      c_prime: med.c_prime,
      indirect: med.indirect,
      ci: boot ? boot.bca : null,
      ciLabel: boot ? `95% BCa bootstrap CI (${boot.resamples} resamples)` : undefined,
      p: { a: med.paths.a.p, b: med.paths.b.p, c: med.paths.c.p, c_prime: med.paths.c_prime.p },
      labels: { x: `Session (${params.med.join(" → ")})`, m: "Δ learning-rate asymmetry", y: `Δ ${scaleName(study)}` },
    },
    { document, width, note, type: typeFor(ctx), ...(title ? { title } : {}) },
  );
  return { element, med, boot };
}

function mediationNumbers(med: ReturnType<typeof requireMediation>) {
  const boot = med.bootstrapped ? (med as unknown as MediationResult).boot : null;
  return {
    group: med.group,
    mediator: med.mediator,
    outcome: med.outcome,
    n: (med as unknown as MediationResult).n,
    a: med.a,
    b: med.b,
    c: med.c,
    c_prime: med.c_prime,
    indirect: med.indirect,
    sobel_se: (med as unknown as MediationResult).sobel_se,
    sobel_z: (med as unknown as MediationResult).sobel_z,
    sobel_p: (med as unknown as MediationResult).sobel_p,
    p: { a: med.paths.a.p, b: med.paths.b.p, c: med.paths.c.p, c_prime: med.paths.c_prime.p },
    boot: boot ? { resamples: boot.resamples, seed: boot.seed, level: boot.level, valid: boot.valid, se: boot.se, percentile: boot.percentile, bca: boot.bca } : null,
    excluded: (med as unknown as MediationResult).excluded,
  };
}

const updates: FigureSpec = {
  name: "updates",
  title: "Mean belief update by news valence, group and session",
  core: true,
  build(ctx) {
    const { study, analysis, document } = ctx;
    const element = updatesChart(analysis.describe.summary, { document, type: typeFor(ctx), width: chartWidth(ctx), groups: groupsOf(study), sessions: study.meta.sessions, note: noteOf(study) });
    return built(element, { unit: "percentage points toward the base rate", summary: analysis.describe.summary });
  },
};

const learningRates: FigureSpec = {
  name: "learning-rates",
  title: "Learning rates for good and bad news across sessions",
  core: true,
  build(ctx) {
    const { study, analysis, params, document } = ctx;
    const groupOf = groupMap(study);
    const fits = analysis.fit.fits.map((f) => ({ ...f, group: groupOf.get(f.participant_id) ?? "" }));
    const element = lrSlopeChart(fits, { document, type: typeFor(ctx), width: chartWidth(ctx), sessions: study.meta.sessions, groups: groupsOf(study), group: params.group, selected: params.sel, hierarchical: analysis.fit.hierarchical, note: noteOf(study) });
    const groups = groupsOf(study);
    const summary = learningRateSummary(fits, study.meta.sessions, params.group === "all" ? groups : groups.filter((g) => g === params.group));
    const points = summary.points(null);
    return built(element, {
      model: analysis.fit.model,
      hierarchical: analysis.fit.hierarchical,
      group: params.group,
      selected: params.sel,
      means: summary.means.map(({ valenceLabel: _l, ...m }) => m),
      summary: analysis.fit.summary.filter((s) => params.group === "all" || s.group === params.group),
      rates: points.map(({ valenceLabel: _l, ...p }) => p),
    });
  },
};

const mediation: FigureSpec = {
  name: "mediation",
  title: "Mediation of clinical change by learning-rate asymmetry",
  core: true,
  build(ctx) {
    const note = noteOf(ctx.study);
    const row = ctx.width >= 600;
    const inner = chartWidth(ctx);
    const panelWidth = row ? Math.floor((inner - 24) / 2) : inner;
    const scatter = scatterFigure(ctx, panelWidth, undefined);
    const path = pathFigure(ctx, panelWidth, undefined, "Path diagram: a, b, c′ and the indirect effect a·b");
    const element = composeFigure(ctx.document, "Mediation of clinical change by learning-rate asymmetry", [scatter.element, path.element], { row, note, name: "mediation" });
    return built(element, {
      ...mediationNumbers(scatter.med),
      selected: ctx.params.sel,
      points: scatter.points,
      line: { intercept: scatter.med.line_model.intercept, slope: scatter.med.line_model.slope, df: scatter.med.line_model.df },
    });
  },
};

const mediationScatterSpec: FigureSpec = {
  name: "mediation-scatter",
  title: "Change in the mediator vs change in the clinical score",
  core: false,
  build(ctx) {
    const s = scatterFigure(ctx, chartWidth(ctx), noteOf(ctx.study));
    return built(s.element, { ...mediationNumbers(s.med), selected: ctx.params.sel, points: s.points });
  },
};

const bootstrap: FigureSpec = {
  name: "bootstrap",
  title: "Bootstrap distribution of the indirect effect",
  core: true,
  build(ctx) {
    const med = requireBoot(ctx.analysis.mediation);
    const element = bootstrapHistogram(med.boot.replicates, {
      document: ctx.document,
      type: typeFor(ctx),
      width: chartWidth(ctx),
      estimate: med.indirect,
      percentile: med.boot.percentile,
      bca: med.boot.bca,
      xLabel: "Indirect effect a·b (bootstrap replicate)",
      note: noteOf(ctx.study),
    });
    return built(element, {
      indirect: med.indirect,
      resamples: med.boot.resamples,
      seed: med.boot.seed,
      valid: med.boot.valid,
      se: med.boot.se,
      percentile: med.boot.percentile,
      bca: med.boot.bca,
      level: med.boot.level,
    });
  },
};

/** The participant of the participant panel: the option, else the first selected, else the first treatment participant. */
export function panelParticipant(ctx: Pick<FigureContext, "study" | "params" | "participant">): string {
  const { study, params } = ctx;
  const id = ctx.participant ?? params.sel[0] ?? study.participants.find((p) => p.group === study.meta.groups.treatment)?.participant_id;
  if (!id) throw new FigureUnavailableError("no participant to show");
  if (!study.participants.some((p) => p.participant_id === id)) throw new FigureUnavailableError(`participant ${JSON.stringify(id)} is not in the study`);
  return id;
}

const participant: FigureSpec = {
  name: "participant",
  title: "Participant panel: trials and clinical trajectory",
  core: true,
  build(ctx) {
    const { study, analysis, document } = ctx;
    const id = panelParticipant(ctx);
    const groupOf = groupMap(study);
    const width = chartWidth(ctx);
    const trials = analysis.scored.trials
      .filter((t) => t.participant_id === id)
      .map((t) => ({ session: t.session, event_id: t.event_id, e1: t.e1, br: t.br, e2: t.e2, valence: t.valence }));
    const fits = analysis.fit.fits.filter((f) => f.participant_id === id);
    // Below about 150 px per session the chart stacks its session facets.
    const trialsChart = participantTrials(trials, fits, { document, type: typeFor(ctx), width, height: 260, sessions: study.meta.sessions, participant: id, hierarchical: analysis.fit.hierarchical });
    const scale = study.meta.clinical_scale;
    const rows = study.clinical.map((c) => ({ ...c, group: groupOf.get(c.participant_id) ?? "" }));
    const panels = scale
      ? [trialsChart, clinicalTrajectory(rows, { document, type: typeFor(ctx), width, height: 260, sessions: study.meta.sessions, scale, groups: groupsOf(study), highlight: id })]
      : [trialsChart];
    const element = composeFigure(document, scale ? `Participant ${id} (${groupOf.get(id)}): trials and ${scale.name} trajectory` : `Participant ${id} (${groupOf.get(id)}): trials`, panels, {
      row: false,
      note: noteOf(study),
      name: "participant",
    });
    return built(element, {
      participant_id: id,
      group: groupOf.get(id),
      model: analysis.fit.model,
      fits: fits.map((f) => ({ session: f.session, alpha_good: f.alpha_good, alpha_bad: f.alpha_bad, asymmetry: f.asymmetry, n_good: f.n_good, n_bad: f.n_bad })),
      n_trials: trials.length,
      clinical: study.clinical.filter((c) => c.participant_id === id).map((c) => ({ session: c.session, score: c.score })),
    });
  },
};

const lrMeans: FigureSpec = {
  name: "lr-means",
  title: "Mean learning rate by news valence, group and session",
  core: false,
  build(ctx) {
    const { study, analysis, document } = ctx;
    const pub = PUBLISHED[study.meta.id]?.learning_rates;
    const published = pub
      ? (["good", "bad"] as const).map((valence) => ({ group: pub.group, session: pub.session, valence, mean: pub[valence].mean, sem: pub[valence].sem }))
      : undefined;
    const element = lrMeansChart(analysis.fit.summary, { document, type: typeFor(ctx), width: chartWidth(ctx), groups: groupsOf(study), sessions: study.meta.sessions, published, hierarchical: analysis.fit.hierarchical, note: noteOf(study) });
    return built(element, { model: analysis.fit.model, summary: analysis.fit.summary, published: published ?? null });
  },
};

const sensitivity: FigureSpec = {
  name: "sensitivity",
  title: "Sensitivity of the indirect effect to unmeasured confounding",
  core: false,
  build(ctx) {
    const med = requireMediation(ctx.analysis.mediation);
    const sens = med.bootstrapped ? (med as unknown as MediationResult).sensitivity : mediationSensitivity(prepareMediationData(med.rows));
    const element = sensitivityCurve(sens.curve, { document: ctx.document, type: typeFor(ctx), width: chartWidth(ctx), rho_zero: sens.rho_zero, estimate: med.indirect, note: noteOf(ctx.study) });
    return built(element, { indirect: med.indirect, rho_zero: sens.rho_zero, rho_tilde: sens.rho_tilde, curve: sens.curve });
  },
};

const modelComparison: FigureSpec = {
  name: "model-comparison",
  title: "Model comparison: ΔBIC relative to the best model",
  core: false,
  build(ctx) {
    const { study, analysis, document } = ctx;
    const cmp = analysis.fit.comparison;
    if (!cmp) throw new FigureUnavailableError("no model comparison");
    // The analysis's own comparison per group (its tie rule decides what is "best"), as the dashboard shows it.
    const rows = groupComparison(cmp, groupsOf(study)).map(({ model, group, bic, delta, best }) => ({ model, group, bic, delta, best }));
    const element = modelComparisonChart(rows, { document, type: typeFor(ctx), width: chartWidth(ctx), groups: groupsOf(study), models: cmp.models, note: noteOf(study) });
    return built(element, { rows: deltaBic(rows) });
  },
};

export const FIGURES: readonly FigureSpec[] = [updates, learningRates, mediation, bootstrap, participant, lrMeans, sensitivity, modelComparison, mediationScatterSpec];
export const FIGURE_NAMES: readonly string[] = FIGURES.map((f) => f.name);
/** The figures `npm run figures` renders by default. */
export const DEFAULT_FIGURES: readonly string[] = FIGURE_LIST.filter((f) => !f.extra).map((f) => f.name);
if (FIGURE_LIST.map((f) => f.name).join() !== FIGURE_NAMES.join()) throw new Error("src/figures/names.ts FIGURE_LIST and the registry disagree");

export function figureByName(name: string): FigureSpec | undefined {
  return FIGURES.find((f) => f.name === name);
}

/** Run the analysis and make the context of a figure. */
export function figureContext(
  study: Study,
  params: AnalysisParams,
  options: { document: Document; width: number; theme?: ThemeName; participant?: string; analysis?: AnalysisResult; media?: "print" | "screen" },
): FigureContext {
  return {
    study,
    params,
    analysis: options.analysis ?? analyzeStudy(study, params),
    document: options.document,
    width: options.width,
    theme: options.theme ?? "light",
    participant: options.participant,
    media: options.media ?? "screen",
  };
}
