/**
 * The report's tables as data: each table is a list of columns and rows taken from the analyze
 * document, rendered as HTML (rounded as journals print them) or as CSV (every number at full
 * precision, RFC 4180 quoting), so that the dashboard's downloads and the report show the same rows.
 * Pure: no DOM.
 */
import type { DesignDocument } from "../analysis/report.js";
import { df as fdf, int, num, pValue, unitNum } from "./format.js";
import { escapeHtml } from "./parts.js";
import type { ModelFit } from "../models/types.js";
import { toCsv as csvText } from "../study/csv.js";
import { anovaRows, modelSelectionOf, termLevels, varcorrRows, type ReportDocument } from "./paragraphs.js";
import { termLabel, anovaTermLabel } from "./terms.js";

export type Cell = string | number | boolean | null | readonly (number | null)[];

export interface Column {
  key: string;
  label: string;
  /**
   * How the HTML shows it: "text", "int", "num" (with `digits`), "unit" (bounded by 1, no leading zero),
   * "df" (integer or one decimal), "p" (APA), "ci" (an interval [lo, hi]: two CSV columns key_low, key_high).
   */
  kind: "text" | "int" | "num" | "unit" | "df" | "p" | "ci";
  digits?: number;
}

export interface ReportTable {
  id: string;
  title: string;
  note?: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  /** False for tables offered as CSV only (too long for the page, e.g. one row per participant-session). */
  inReport: boolean;
}

const C = (key: string, label: string, kind: Column["kind"] = "num", digits = 2): Column => ({ key, label, kind, digits });

function syntheticNote(synthetic: boolean): string | undefined {
  return synthetic ? "Synthetic data." : undefined;
}

function joinNote(...notes: (string | undefined | false | null)[]): string | undefined {
  const n = (notes.filter(Boolean) as string[]).map((x) => (/[.!?]$/.test(x.trim()) ? x.trim() : `${x.trim()}.`)).join(" ");
  return n || undefined;
}

/** The tables of a belief-updating study's report. */
export function analysisTables(doc: ReportDocument): ReportTable[] {
  const syn = syntheticNote(doc.study.synthetic);
  const out: ReportTable[] = [];
  const sc = doc.scoring;
  out.push({
    id: "scoring",
    title: "Trials scored and excluded",
    note: syn,
    inReport: true,
    columns: [C("what", "Trials", "text"), C("n", "n", "int")],
    rows: [
      { what: "recorded", n: sc.total },
      { what: "scored", n: sc.scored },
      { what: "excluded: missing response", n: sc.missing },
      { what: "excluded: EE = 0", n: sc.zeroError },
      { what: `excluded: outside [${doc.options.valid_range.join(", ")}]`, n: sc.outOfRange },
      ...(doc.options.max_recall_error !== null ? [{ what: `excluded: recall error > ${doc.options.max_recall_error}`, n: sc.recallError }] : []),
      { what: "participant-sessions left out of the fits", n: sc.excluded_participant_sessions.length },
    ],
  });
  out.push({
    id: "learning-rates",
    title: `Mean learning rates by group, session and news valence (${doc.options.model} model)`,
    note: joinNote("Means over participants of their fitted learning rates; SEM = SD/√n.", syn),
    inReport: true,
    columns: [C("group", "Group", "text"), C("session", "Session", "text"), C("valence", "News", "text"), C("mean", "M"), C("sem", "SEM"), C("n", "n", "int")],
    rows: doc.learning_rate_summary.map((r) => ({ group: r.group, session: r.session, valence: r.valence, mean: r.mean, sem: r.sem, n: r.n })),
  });
  if (doc.model_comparison)
    out.push({
      id: "model-comparison",
      title: "Model comparison (summed over participant-sessions)",
      note: joinNote("ΔBIC relative to the lowest summed BIC; best: participant-sessions (and participants) for which the model has the lowest BIC, ties shared.", ...doc.model_comparison.notes, syn),
      inReport: true,
      columns: [C("model", "Model", "text"), C("n_fits", "Fits", "int"), C("sum_loglik", "ln L", "num", 1), C("sum_aic", "AIC", "num", 1), C("sum_bic", "BIC", "num", 1), C("delta_bic", "ΔBIC", "num", 1), C("n_best", "Best (fits)", "num", 1), C("n_best_participants", "Best (participants)", "num", 1), C("ibic", "iBIC", "num", 1)],
      rows: doc.model_comparison.totals.map((x) => ({ model: x.model, n_fits: x.n_fits, sum_loglik: x.sum_loglik, sum_aic: x.sum_aic, sum_bic: x.sum_bic, delta_bic: x.delta_bic, n_best: x.n_best, n_best_participants: x.n_best_participants, ibic: x.ibic })),
    });
  const ms = modelSelectionOf(doc);
  if (ms)
    out.push({
      id: "model-selection",
      title: "Bayesian model selection (random effects)",
      note: joinNote(ms.method, ms.overall.bor !== undefined && ms.overall.bor !== null ? `Bayesian omnibus risk ${ms.overall.bor}.` : undefined, syn),
      inReport: true,
      columns: [C("model", "Model", "text"), C("alpha", "α (Dirichlet)"), C("frequency", "Frequency", "unit", 3), C("exceedance", "Exceedance", "unit", 3), C("protected_exceedance", "Protected exceedance", "unit", 3)],
      rows: ms.models.map((m) => ({ model: m, alpha: ms.overall.alpha[m] ?? null, frequency: ms.overall.frequency[m] ?? null, exceedance: ms.overall.exceedance[m] ?? null, protected_exceedance: ms.overall.protected_exceedance?.[m] ?? null })),
    });
  const l = doc.lmm;
  const levels = termLevels(doc);
  if (!l.error) {
    out.push({
      id: "lmm-fixed",
      title: "Mixed model: fixed effects",
      note: joinNote(`${l.formula}; REML, Satterthwaite df; ${l.n_obs} observations, ${l.n_groups} participants.`, l.singular ? "Singular fit." : undefined, syn),
      inReport: true,
      columns: [C("term", "Term (R)", "text"), C("label", "Effect", "text"), C("estimate", "β"), C("se", "SE"), C("df", "df", "df"), C("t", "t"), C("p", "p", "p"), C("ci", "95% CI", "ci")],
      rows: l.fixed.map((r) => ({ term: r.term, label: termLabel(r.term, levels), estimate: r.estimate, se: r.se, df: r.df, t: r.t, p: r.p, ci: r.ci ?? null })),
    });
    const anova = anovaRows(doc);
    if (anova.length)
      out.push({
        id: "lmm-anova",
        title: "Mixed model: F tests of the terms (Satterthwaite)",
        note: syn,
        inReport: true,
        columns: [C("term", "Term", "text"), C("type", "Type", "int"), C("num_df", "df1", "df"), C("den_df", "df2", "df"), C("F", "F"), C("p", "p", "p")],
        rows: anova.map((a) => ({ term: anovaTermLabel(a.term), type: a.type, num_df: a.num_df, den_df: a.den_df, F: a.F, p: a.p })),
      });
    const vc = varcorrRows(doc);
    const vrows: Record<string, Cell>[] = vc.length
      ? vc.map((v) => ({ grp: v.grp, var1: v.var1, var2: v.var2, vcov: v.vcov, sdcor: v.sdcor }))
      : l.random
        ? [
            { grp: "participant_id", var1: "(Intercept)", var2: null, vcov: l.random.participant_sd ** 2, sdcor: l.random.participant_sd },
            { grp: "Residual", var1: null, var2: null, vcov: l.random.residual_sd ** 2, sdcor: l.random.residual_sd },
          ]
        : [];
    if (vrows.length)
      out.push({
        id: "lmm-random",
        title: "Mixed model: random effects",
        note: joinNote("As R's as.data.frame(VarCorr(fit)): variances and SDs, or covariances and correlations (var2 set).", syn),
        inReport: true,
        columns: [C("grp", "Group", "text"), C("var1", "Effect", "text"), C("var2", "With", "text"), C("vcov", "Variance / covariance", "num", 3), C("sdcor", "SD / correlation", "num", 3)],
        rows: vrows,
      });
  }
  const md = doc.mediation;
  if (md.paths) {
    const P = md.paths;
    const row = (path: string, what: string, x: { estimate: number; se: number | null; t: number | null; df: number; p: number | null }) => ({ path, what, estimate: x.estimate, se: x.se, df: x.df, t: x.t, p: x.p, ci: null });
    const rows: Record<string, Cell>[] = [
      row("a", `mean change in asymmetry, ${md.mediator.from} → ${md.mediator.to}`, P.a),
      row("b", "ΔY on ΔM", P.b),
      row("c", `mean change in ${md.outcome.measure}, ${md.outcome.from} → ${md.outcome.to}`, P.c),
      row("c′", "direct effect", P.c_prime),
      row("d", "ΔY on the centred mean of M", P.m_mean),
      { path: "a·b", what: "indirect effect (Sobel test, z)", estimate: md.indirect, se: md.sobel_se, df: null, t: md.sobel_z, p: md.sobel_p, ci: null },
    ];
    if (md.boot) {
      rows.push({ path: "a·b", what: `bootstrap, percentile (${md.boot.resamples} resamples, seed ${md.boot.seed})`, estimate: md.indirect, se: md.boot.se, df: null, t: null, p: null, ci: md.boot.percentile });
      rows.push({ path: "a·b", what: `bootstrap, ${md.boot.bca_label}`, estimate: md.indirect, se: md.boot.se, df: null, t: null, p: null, ci: md.boot.bca });
    }
    out.push({
      id: "mediation",
      title: `Within-participant mediation (Montoya & Hayes, 2017), group ${md.group}, n = ${md.n}`,
      note: joinNote("t for the paths, z for the Sobel test.", syn),
      inReport: true,
      columns: [C("path", "Path", "text"), C("what", "What", "text"), C("estimate", "Estimate"), C("se", "SE"), C("df", "df", "df"), C("t", "t / z"), C("p", "p", "p"), C("ci", "95% CI", "ci")],
      rows,
    });
  }
  const paramKeys = [...new Set(doc.fits.flatMap((f) => Object.keys(f.params)))];
  out.push({
    id: "fits",
    title: "Learning-rate fits per participant and session",
    note: syn,
    inReport: false,
    columns: [
      C("participant_id", "Participant", "text"),
      C("session", "Session", "text"),
      C("model", "Model", "text"),
      C("method", "Method", "text"),
      C("alpha_good", "α good", "num", 3),
      C("alpha_bad", "α bad", "num", 3),
      C("asymmetry", "Asymmetry", "num", 3),
      C("n_good", "n good", "int"),
      C("n_bad", "n bad", "int"),
      C("sigma", "σ", "num", 3),
      C("loglik", "ln L", "num", 2),
      C("aic", "AIC", "num", 2),
      C("bic", "BIC", "num", 2),
      ...paramKeys.map((k) => C(`param_${k}`, k, "num", 4)),
    ],
    rows: doc.fits.map((f) => fitRow(f, paramKeys)),
  });
  return out;
}

/** The tables of a crossover or parallel study's report. */
export function designTables(doc: DesignDocument): ReportTable[] {
  const syn = syntheticNote(doc.study.synthetic);
  const crossover = doc.design === "crossover";
  const cond = crossover ? "Condition" : "Arm";
  const o = doc.outcomes;
  const out: ReportTable[] = [];
  out.push({
    id: "summary",
    title: "Scores and change from baseline",
    note: joinNote("Change = score − baseline; % reduction = 100 (baseline − score)/baseline.", syn),
    inReport: true,
    columns: [C("scale", "Scale", "text"), C("condition", cond, "text"), C("session", "Time", "text"), C("n", "n", "int"), C("mean_score", "M"), C("sd_score", "SD"), C("mean_change", "Change"), C("sem_change", "SEM"), C("mean_percent_reduction", "% reduction", "num", 1)],
    rows: o.summary.map((r) => ({ scale: r.scale, condition: r.condition, session: r.session, n: r.n, mean_score: r.mean_score, sd_score: r.sd_score, mean_change: r.mean_change, sem_change: r.sem_change, mean_percent_reduction: r.mean_percent_reduction })),
  });
  out.push({
    id: "response",
    title: `Response at ${doc.study.response.session} (${doc.study.response.scale})`,
    note: joinNote(`${doc.study.response.rule}; exact (Clopper–Pearson) 95% CI.`, syn),
    inReport: true,
    columns: [C("condition", cond, "text"), C("responders", "Responders", "int"), C("n", "n", "int"), C("rate", "Rate", "unit", 3), C("ci", "95% CI", "ci"), C("missing", "Missing", "int")],
    rows: o.response.map((r) => ({ condition: r.condition, responders: r.responders, n: r.n, rate: r.rate, ci: r.ci, missing: r.missing })),
  });
  const mrows: Record<string, Cell>[] = [];
  for (const m of o.models) for (const r of m.fixed) mrows.push({ scale: m.scale, session: m.session, model: m.formula, term: r.term, estimate: r.estimate, se: r.se, df: r.df, t: r.t, p: r.p, ci: r.ci ?? null });
  out.push({
    id: "models",
    title: crossover ? "Mixed models of the change (REML, Satterthwaite df)" : "ANCOVA of the score (OLS)",
    note: syn,
    inReport: true,
    columns: [C("scale", "Scale", "text"), C("session", "Time", "text"), C("model", "Model", "text"), C("term", "Term", "text"), C("estimate", "β"), C("se", "SE"), C("df", "df", "df"), C("t", "t"), C("p", "p", "p"), C("ci", "95% CI", "ci")],
    rows: mrows,
  });
  if (o.mcnemar) {
    const m = o.mcnemar;
    out.push({
      id: "mcnemar",
      title: `Exact McNemar test of response (${m.scale} at ${m.session})`,
      note: joinNote("Odds ratio b/c with its exact interval.", syn),
      inReport: true,
      columns: [C("pairs", "Pairs", "int"), C("both", "Both", "int"), C("a_only", `${m.condition_a} only`, "int"), C("b_only", `${m.condition_b} only`, "int"), C("neither", "Neither", "int"), C("p", "p", "p"), C("odds_ratio", "OR"), C("ci", "95% CI", "ci")],
      rows: [{ pairs: m.n_pairs, both: m.both, a_only: m.b, b_only: m.c, neither: m.neither, p: m.p, odds_ratio: m.odds_ratio, ci: m.ci }],
    });
  }
  if (o.carryover)
    out.push({
      id: "carryover",
      title: "Carry-over (Grizzle): sequence difference of the participant totals",
      note: joinNote(doc.options.carryover_test, syn),
      inReport: true,
      columns: [C("scale", "Scale", "text"), C("session", "Time", "text"), C("estimate", "Difference"), C("se", "SE"), C("df", "df", "df"), C("t", "t"), C("p", "p", "p"), C("ci", "95% CI", "ci")],
      rows: o.carryover.map((c) => ({ scale: c.scale, session: c.session, estimate: c.estimate, se: c.se, df: c.df, t: c.t, p: c.p, ci: c.ci })),
    });
  if (o.fisher) {
    const fi = o.fisher;
    out.push({
      id: "fisher",
      title: `Fisher's exact test of response (${fi.scale} at ${fi.session})`,
      note: joinNote("Conditional maximum-likelihood odds ratio with its exact interval (as R's fisher.test); sample odds ratio with Woolf's interval.", syn),
      inReport: true,
      columns: [C("n", "n", "int"), C("p", "p", "p"), C("conditional_or", "Conditional OR"), C("conditional_ci", "95% CI", "ci"), C("sample_or", "Sample OR"), C("sample_ci", "95% CI", "ci")],
      rows: [{ n: fi.n, p: fi.p, conditional_or: fi.conditional_or.estimate, conditional_ci: fi.conditional_or.ci, sample_or: fi.sample_or.estimate, sample_ci: fi.sample_or.ci }],
    });
  }
  if (o.ancova)
    out.push({
      id: "adjusted-means",
      title: "ANCOVA: adjusted means at the mean baseline",
      note: syn,
      inReport: true,
      columns: [C("scale", "Scale", "text"), C("session", "Time", "text"), C("arm", "Arm", "text"), C("n", "n", "int"), C("baseline", "Baseline"), C("mean", "Adjusted M"), C("se", "SE"), C("ci", "95% CI", "ci")],
      rows: o.ancova.flatMap((a) => a.adjusted_means.map((x) => ({ scale: a.scale, session: a.session, arm: x.arm, n: x.n, baseline: a.baseline_mean, mean: x.mean, se: x.se, ci: x.ci }))),
    });
  out.push({
    id: "per-participant",
    title: "Scores per participant",
    note: syn,
    inReport: false,
    columns: [C("participant_id", "Participant", "text"), C("group", crossover ? "Sequence" : "Arm", "text"), C("condition", cond, "text"), C("period", "Period", "int"), C("scale", "Scale", "text"), C("session", "Time", "text"), C("baseline", "Baseline"), C("score", "Score"), C("change", "Change"), C("percent_reduction", "% reduction", "num", 1), C("responder", "Responder", "text")],
    rows: o.per_participant.map((r) => ({ participant_id: r.participant_id, group: r.group, condition: r.condition, period: r.period, scale: r.scale, session: r.session, baseline: r.baseline, score: r.score, change: r.change, percent_reduction: r.percent_reduction, responder: r.responder })),
  });
  return out;
}

/** One fit as a row of the fits table and of the R script's fits.csv (model parameters as param_<name>). */
export function fitRow(
  f: Pick<ModelFit, "participant_id" | "session" | "model" | "method" | "alpha_good" | "alpha_bad" | "asymmetry" | "n_good" | "n_bad" | "sigma" | "loglik" | "aic" | "bic"> & { params: Record<string, number | null> },
  paramKeys: readonly string[],
): Record<string, Cell> {
  const { participant_id, session, model, method, alpha_good, alpha_bad, asymmetry, n_good, n_bad, sigma, loglik, aic, bic } = f;
  return { participant_id, session, model, method, alpha_good, alpha_bad, asymmetry, n_good, n_bad, sigma, loglik, aic, bic, ...Object.fromEntries(paramKeys.map((k) => [`param_${k}`, f.params[k] ?? null])) };
}

// ------------------------------------------------------------------------------------------------
// CSV and HTML.

/** A cell as CSV text before quoting: numbers at full precision, R's Inf/NaN, TRUE/FALSE, empty = missing. */
function csvValue(v: Cell | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : v > 0 ? "Inf" : v < 0 ? "-Inf" : "NaN";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return String(v);
}

/** CSV of any columns and rows (the kit's one CSV writer, lib/study/csv.ts; an interval is two columns, <key>_low and <key>_high). */
export function toCsv(columns: readonly Pick<Column, "key" | "kind">[], rows: readonly Record<string, Cell>[]): string {
  const header: string[] = [];
  for (const c of columns) {
    if (c.kind === "ci") header.push(`${c.key}_low`, `${c.key}_high`);
    else header.push(c.key);
  }
  const body = rows.map((r) => {
    const cells: string[] = [];
    for (const c of columns) {
      const v = r[c.key];
      if (c.kind === "ci") {
        const pair = Array.isArray(v) ? (v as readonly (number | null)[]) : [null, null];
        cells.push(csvValue(pair[0] ?? null), csvValue(pair[1] ?? null));
      } else cells.push(csvValue(v as Cell));
    }
    return cells;
  });
  return csvText(header, body);
}

/** CSV of a report table. */
export function tableToCsv(table: ReportTable): string {
  return toCsv(table.columns, table.rows);
}

/** The shown text of one cell. */
export function cellText(c: Column, v: Cell | undefined): string {
  if (v === null || v === undefined) return "–";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return `[${num(v[0], c.digits ?? 2)}, ${num(v[1], c.digits ?? 2)}]`;
  const x = v as number;
  switch (c.kind) {
    case "int":
      return Number.isInteger(x) ? int(x) : num(x, 1);
    case "unit":
      return unitNum(x, c.digits ?? 2);
    case "df":
      return fdf(x);
    case "p":
      return pValue(x).replace(/^= /, "");
    case "text":
      return String(x);
    default:
      return num(x, c.digits ?? 2);
  }
}

/** An HTML table (every string escaped) with its number, title and note. */
export function tableToHtml(table: ReportTable, number?: number): string {
  const head = table.columns.map((c) => `<th${c.kind === "text" ? "" : ' class="num"'}>${c.kind === "p" || c.label === "t" || c.label === "F" || c.label === "n" ? `<i>${escapeHtml(c.label)}</i>` : escapeHtml(c.label)}</th>`).join("");
  const body = table.rows
    .map((r) => `<tr>${table.columns.map((c) => `<td${c.kind === "text" ? "" : ' class="num"'}>${escapeHtml(cellText(c, r[c.key]))}</td>`).join("")}</tr>`)
    .join("\n");
  const label = number !== undefined ? `Table ${number}. ` : "";
  return `<figure class="table" id="table-${escapeHtml(table.id)}"><figcaption><b>${escapeHtml(label)}</b>${escapeHtml(table.title)}</figcaption>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>${table.note ? `<p class="note"><i>Note.</i> ${escapeHtml(table.note)}</p>` : ""}</figure>`;
}
