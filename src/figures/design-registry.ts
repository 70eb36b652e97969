/**
 * The named figures of the two clinical-trial designs (study.json "design": "crossover" or
 * "parallel"): the charts of the dashboard's crossover and parallel pages (src/crossover.md,
 * src/parallel.md), drawn with the same chart functions from `analyzeDesign` (src/lib/designs/analyze).
 * The sibling of registry.ts (belief-updating studies); the names and titles come from names.ts
 * (`designFigureList`, pure, so the command line checks names without loading the charts).
 *
 *  - `trajectories`: every scale's per-participant trajectories with the condition (arm) means, one
 *    chart per scale stacked (a single-scale study: that one chart);
 *  - `trajectories-<scale>`: one scale's chart (e.g. `trajectories-hamd-6`);
 *  - `response`: response rate per condition (arm) with the exact interval.
 *
 * The sidecar numbers: the per-condition summaries the charts show (means per time point), the
 * treatment effect per scale × time point (mixed model or ANCOVA term with CI and p), the response
 * rows and the exact test (McNemar or Fisher). Pure apart from the passed document.
 */
import { designTrajectories } from "../components/design-trajectories.js";
import { responseBars } from "../components/response-bars.js";
import { analyzeDesign, designConditions, type DesignAnalysis, type ModelTable } from "../lib/designs/analyze.js";
import type { ClinicalScale, Study, StudyMeta } from "../lib/study/types.js";
import { designFigureList, trialDesignOf, type TrialDesignName } from "./names.js";
import { syntheticNote } from "../lib/study/provenance.js";
import { FigureUnavailableError, composeFigure, typeFor, type BuiltFigure } from "./registry.js";
import { EXPORT_PADDING, type ThemeName } from "./svg-export.js";

export interface DesignFigureContext {
  study: Study;
  design: TrialDesignName;
  analysis: DesignAnalysis;
  document: Document;
  /** Width of the whole figure in px (CSS px); charts get this minus the export padding. */
  width: number;
  theme: ThemeName;
  /** "print": PRINT_TYPE and charts at their panel's width (see FigureContext.media); default "screen". */
  media?: "print" | "screen";
}

export interface DesignFigureSpec {
  name: string;
  title: string;
  /** Rendered by default (the others only when named, or with --figures all). */
  core: boolean;
  /** The scale of a one-scale trajectories figure, else null. */
  scale: string | null;
  build(ctx: DesignFigureContext): BuiltFigure;
}

function noteOf(study: Study): string | undefined {
  return syntheticNote(study.meta);
}

/** The conditions (crossover) or arms (parallel), reference first: the page's `conditionsOf`. */
export function designConditionsOf(meta: StudyMeta): string[] {
  return [...designConditions(meta)];
}

/** Name and range of every scale, the primary first: the page's `scalesOf`. */
export function designScalesOf(meta: StudyMeta): ClinicalScale[] {
  return [meta.clinical_scale!, ...(meta.secondary_scales ?? []).map((s) => ({ name: s.name, min: s.min, max: s.max }))];
}

function conditionLabel(design: TrialDesignName): "condition" | "arm" {
  return design === "crossover" ? "condition" : "arm";
}

/** The figure's width less the export padding, never wider (see registry.ts chartWidth). */
function chartWidth(ctx: DesignFigureContext): number {
  return Math.max(200, Math.round(ctx.width - 2 * EXPORT_PADDING));
}

function captionOf(element: Element): string {
  return [...element.querySelectorAll("figcaption")].map((f) => (f.textContent ?? "").replace(/\s+/g, " ").trim()).join(" ");
}

function built(element: HTMLElement | SVGSVGElement, numbers: Record<string, unknown>): BuiltFigure {
  return { element, caption: captionOf(element), numbers };
}

/** What the treatment term of a model table estimates. */
function contrastOf(ctx: DesignFigureContext): string {
  const [reference, treatment] = designConditionsOf(ctx.study.meta);
  return ctx.design === "crossover"
    ? `${treatment} − ${reference}: difference in the change from baseline (mixed model, REML, Satterthwaite df)`
    : `${treatment} − ${reference}: baseline-adjusted difference in the score (ANCOVA)`;
}

/** The treatment term (and the period term of a crossover model) of one model table. */
function effectOf(ctx: DesignFigureContext, m: ModelTable) {
  const term = (name: string | null) => {
    const t = name ? m.fixed.find((f) => f.term === name) : undefined;
    return t ? { term: t.term, estimate: t.estimate, se: t.se, df: t.df, t: t.t, p: t.p, ci: t.ci } : null;
  };
  const ancova = ctx.analysis.ancova?.find((a) => a.scale === m.scale && a.session === m.session);
  return {
    scale: m.scale,
    session: m.session,
    kind: m.kind,
    formula: m.formula,
    n_obs: m.n_obs,
    n_participants: m.n_groups ?? m.n_obs,
    treatment: term(m.key_term) ?? { term: m.key_term, estimate: null, se: null, df: null, t: null, p: null, ci: null },
    period: term(m.period_term),
    ...(ancova ? { baseline_mean: ancova.baseline_mean, adjusted_means: ancova.adjusted_means.map((a) => ({ arm: a.arm, n: a.n, mean: a.mean, se: a.se, ci: a.ci })) } : {}),
    error: m.error,
  };
}

/** The numbers one scale's chart shows, with its models (and carry-over tests). */
function scaleNumbers(ctx: DesignFigureContext, scale: ClinicalScale) {
  const { analysis } = ctx;
  return {
    scale,
    summary: analysis.summary.filter((s) => s.scale === scale.name),
    effects: analysis.models.filter((m) => m.scale === scale.name).map((m) => effectOf(ctx, m)),
    ...(analysis.carryover
      ? {
          carryover: analysis.carryover
            .filter((c) => c.scale === scale.name)
            .map((c) => ({ session: c.session, sequences: c.sequences, estimate: c.estimate, se: c.se, df: c.df, t: c.t, p: c.p, ci: c.ci, error: c.error })),
        }
      : {}),
  };
}

function commonNumbers(ctx: DesignFigureContext) {
  const meta = ctx.study.meta;
  return { design: ctx.design, condition_label: conditionLabel(ctx.design), conditions: designConditionsOf(meta), sessions: meta.sessions, contrast: contrastOf(ctx) };
}

function trajectoryChart(ctx: DesignFigureContext, scale: ClinicalScale, note: string | undefined) {
  const meta = ctx.study.meta;
  const rows = ctx.analysis.per_participant.filter((r) => r.scale === scale.name);
  return designTrajectories(rows, {
    document: ctx.document,
    type: typeFor(ctx),
    width: chartWidth(ctx),
    sessions: meta.sessions,
    conditions: designConditionsOf(meta),
    scale,
    conditionLabel: conditionLabel(ctx.design),
    note,
  });
}

function scaleFigure(name: string, title: string, scale: ClinicalScale, core: boolean): DesignFigureSpec {
  return {
    name,
    title,
    core,
    scale: scale.name,
    build(ctx) {
      const element = trajectoryChart(ctx, scale, noteOf(ctx.study));
      return built(element, { ...commonNumbers(ctx), ...scaleNumbers(ctx, scale) });
    },
  };
}

function allScalesFigure(title: string, scales: ClinicalScale[]): DesignFigureSpec {
  return {
    name: "trajectories",
    title,
    core: true,
    scale: null,
    build(ctx) {
      const note = noteOf(ctx.study);
      const element =
        scales.length === 1
          ? trajectoryChart(ctx, scales[0], note)
          : composeFigure(
              ctx.document,
              `Scores across time points, by ${conditionLabel(ctx.design)}`,
              scales.map((s) => trajectoryChart(ctx, s, undefined)),
              { row: false, note, name: "trajectories" },
            );
      return built(element, { ...commonNumbers(ctx), scales: scales.map((s) => scaleNumbers(ctx, s)) });
    },
  };
}

function responseFigure(title: string): DesignFigureSpec {
  return {
    name: "response",
    title,
    core: true,
    scale: null,
    build(ctx) {
      const { analysis, study } = ctx;
      const d = analysis.response_definition;
      const rows = analysis.response.filter((r) => r.scale === d.scale && r.session === d.session);
      if (!rows.some((r) => r.n > 0)) throw new FigureUnavailableError(`no participant has a known response (${d.scale} at ${d.session})`);
      const conditions = designConditionsOf(study.meta);
      // The page draws the bars at most 520 px wide; the figure takes its width.
      const element = responseBars(rows, { document: ctx.document, type: typeFor(ctx), width: chartWidth(ctx), conditions, definition: d.rule, note: noteOf(study) });
      const primary = analysis.models.find((m) => m.scale === d.scale && m.session === d.session);
      const mc = analysis.mcnemar;
      const fi = analysis.fisher;
      return built(element, {
        ...commonNumbers(ctx),
        definition: d,
        rows: rows.map((r) => ({ condition: r.condition, responders: r.responders, n: r.n, rate: r.rate, missing: r.missing, ci: r.ci, ci_method: "Clopper-Pearson (exact), 95%" })),
        test: mc
          ? { test: "exact McNemar test of paired response", ...mc }
          : fi
            ? { test: "Fisher's exact test (treatment, reference) x (responder, non-responder)", ...fi }
            : null,
        effect: primary ? effectOf(ctx, primary) : null,
      });
    },
  };
}

const specCache = new WeakMap<StudyMeta, DesignFigureSpec[]>();

/** The figures of a crossover or parallel study, in the order of `designFigureList`. */
export function designFigures(meta: StudyMeta): DesignFigureSpec[] {
  const cached = specCache.get(meta);
  if (cached) return cached;
  const list = designFigureList(meta);
  const scales = designScalesOf(meta);
  const specs = list.map((entry): DesignFigureSpec => {
    if (entry.name === "trajectories") return allScalesFigure(entry.title, scales);
    if (entry.name === "response") return responseFigure(entry.title);
    const scale = scales.find((s) => s.name === entry.scale);
    if (!scale) throw new Error(`design figure ${entry.name}: no scale ${JSON.stringify(entry.scale)}`);
    return scaleFigure(entry.name, entry.title, scale, !entry.extra);
  });
  specCache.set(meta, specs);
  return specs;
}

export function designFigureByName(meta: StudyMeta, name: string): DesignFigureSpec | undefined {
  return designFigures(meta).find((f) => f.name === name);
}

/** The figures `npm run figures` renders by default for this study. */
export function defaultDesignFigures(meta: StudyMeta): string[] {
  return designFigures(meta).filter((f) => f.core).map((f) => f.name);
}

/** Run the design's analysis and make the context of its figures. */
export function designFigureContext(study: Study, options: { document: Document; width: number; theme?: ThemeName; analysis?: DesignAnalysis; media?: "print" | "screen" }): DesignFigureContext {
  const design = trialDesignOf(study.meta);
  if (!design) throw new FigureUnavailableError(`study ${JSON.stringify(study.meta.id)} is a belief-updating study: it has no trial-design figures`);
  return {
    study,
    design,
    analysis: options.analysis ?? analyzeDesign(study),
    document: options.document,
    width: options.width,
    theme: options.theme ?? "light",
    media: options.media ?? "screen",
  };
}
