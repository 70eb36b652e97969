/**
 * The general linear mixed model: any random-effect terms (see terms.ts), REML or ML, fitted on the
 * profiled deviance (pls.ts) with the bounded optimiser (optimize.ts), with lmerTest's
 * Satterthwaite inference (variance parameters (theta, sigma), Hessian and Jacobian by numDeriv's
 * Richardson scheme, numderiv.ts), type III and type II F tests (anova.ts) and the VarCorr table.
 *
 * A single random intercept `(1 | g)` fitted by REML takes the closed-form fast path of reml.ts
 * (exact optimum, analytic Hessian), which gives fitLmm's numbers.
 */
import type { DesignColumn, VariableKind } from "../stats/formula.js";
import { anovaTable, type AnovaRow } from "./anova.js";
import { eigenSym, pinvSym, type Mat } from "./dense.js";
import { interceptInference } from "./fit.js";
import { mixedFrame, type MixedData, type MixedFrame } from "./mframe.js";
import { hessianRichardson, jacobianRichardson } from "./numderiv.js";
import { minimizeTheta } from "./optimize.js";
import { canonicalTheta, covFromRX, MixedPls, templateOf } from "./pls.js";
import { RemlProfile } from "./reml.js";
import { contrastCore } from "./satterthwaite.js";
import type { MixedFormula } from "./terms.js";
import type { LmmFixedEffect, LmmResult } from "./types.js";

export interface MixedOptions {
  /** Factor levels by variable (reference first); `null`: a factor with sorted levels. */
  factors?: Readonly<Record<string, readonly string[] | null>>;
  /** REML (default true) or maximum likelihood. */
  reml?: boolean;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
  /** Compute the type III and type II F tests (default true). */
  anova?: boolean;
}

/** One row of R's as.data.frame(VarCorr(fit)). */
export interface VarCorrRow {
  grp: string;
  var1: string | null;
  var2: string | null;
  vcov: number;
  /** SD (variance rows) or correlation (covariance rows; null where R has NaN: an SD of 0). */
  sdcor: number | null;
}

export interface MixedResult {
  formula: string;
  response: string;
  reml: boolean;
  fixed: LmmFixedEffect[];
  anova: AnovaRow[];
  varcorr: VarCorrRow[];
  /** Relative covariance factors, lme4's getME(fit, "theta") order. */
  theta: number[];
  sigma: number;
  /** REMLcrit(fit) for a REML fit, else null. */
  reml_criterion: number | null;
  /** deviance(fit) (-2 log-likelihood) for an ML fit, else null. */
  deviance: number | null;
  /** logLik(fit): -criterion / 2. */
  loglik: number;
  singular: boolean;
  n_obs: number;
  /** Levels per grouping factor, as ngrps(fit). */
  groups: Record<string, number>;
  /** The random-effect terms in lme4's order (group name as in varcorr, columns as cnms). */
  random: { group: string; term: string; columns: string[] }[];
  rank_deficient: string[];
  dropped_rows: number;
  levels: Record<string, string[]>;
  messages: string[];
  /** Covariance of the fixed effects (vcov(fit)), in `fixed` order. */
  vcov: number[][];
  /** lmerTest's variance parameters (theta..., sigma), A = 2 H^+ and dCov(beta)/d varpar. */
  varpar: { names: string[]; values: number[]; vcov: number[][]; jacobian: number[][][] };
  /** What contrasts and simple effects need without the data: columns, variable kinds, covariate means. */
  design: {
    columns: DesignColumn[];
    /** Every model-matrix column, rank-deficient ones included. */
    allColumns: DesignColumn[];
    /** Basis of the null space of the full model matrix (over allColumns): non-estimable directions. */
    nullspace: number[][];
    kinds: Record<string, VariableKind>;
    means: Record<string, number>;
  };
  optimizer: { method: string; evaluations: number };
}

function toRows(a: Float64Array, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < k; i++) out.push(Array.from(a.subarray(i * k, (i + 1) * k)));
  return out;
}

/** True for `(1 | g)` alone with REML and an intercept: the closed-form path of reml.ts. */
function isInterceptOnly(frame: MixedFrame, reml: boolean): boolean {
  const r = frame.random;
  return (
    reml &&
    r.length === 1 &&
    r[0].q === 1 &&
    r[0].term.intercept &&
    r[0].term.terms.length === 0 &&
    frame.columns.length > 0 &&
    frame.columns[0].name === "(Intercept)"
  );
}

interface Core {
  theta: number[];
  sigma: number;
  beta: number[];
  vcov: Mat;
  criterion: number;
  varpar: MixedResult["varpar"];
  method: string;
  evaluations: number;
}

function interceptCore(frame: MixedFrame): Core {
  const b = frame.random[0];
  const prof = new RemlProfile(frame.X, frame.y, b.levelOf, b.nLevels);
  const fin = prof.optimizeTheta();
  const p = frame.columns.length;
  const { vcov, Avar, dCdTheta, dCdSigma } = interceptInference(fin, frame.n, p);
  const sigma = Math.sqrt(fin.pwrss / (frame.n - p));
  return {
    theta: [fin.theta],
    sigma,
    beta: Array.from(fin.beta),
    vcov: toRows(vcov, p),
    criterion: fin.deviance,
    varpar: {
      names: [`theta_${frame.groupNames[0]}.(Intercept)`, "sigma"],
      values: [fin.theta, sigma],
      vcov: Avar,
      jacobian: [toRows(dCdTheta, p), toRows(dCdSigma, p)],
    },
    method: "closed form (single random intercept): Brent root of the analytic derivative",
    evaluations: 0,
  };
}

function generalCore(frame: MixedFrame, reml: boolean): Core {
  const pls = new MixedPls(frame, reml);
  const { layout } = pls;
  const opt = minimizeTheta((t) => pls.criterion(t), layout.start, layout.lower, (t) => canonicalTheta(t, layout));
  const theta = opt.par;
  const ev = pls.evaluate(theta, true);
  const n = frame.n;
  const p = frame.columns.length;
  const sigma = Math.sqrt(ev.pwrss / (reml ? n - p : n));
  const vcov = toRows(covFromRX(ev.RX!, p).map((x) => sigma * sigma * x), p);

  // lmerTest: devfun_vp and get_covbeta as functions of varpar = (theta, sigma).
  const devVp = (vp: number[]): number => {
    const s2 = vp[vp.length - 1] ** 2;
    const e = pls.evaluate(vp.slice(0, -1));
    let dev = e.ldL2 + e.pwrss / s2 + n * Math.log(2 * Math.PI * s2);
    if (reml) dev += e.ldRX2 - p * Math.log(2 * Math.PI * s2);
    return dev;
  };
  const covBeta = (vp: number[]): Float64Array => {
    const s = vp[vp.length - 1];
    const e = pls.evaluate(vp.slice(0, -1), true);
    return covFromRX(e.RX!, p).map((x) => s * s * x);
  };
  const vp0 = [...theta, sigma];
  const H = hessianRichardson(devVp, vp0);
  const A = pinvSym(H, 1e-8).inverse.map((r) => r.map((x) => 2 * x));
  const J = jacobianRichardson(covBeta, vp0).map((j) => toRows(j, p));
  const names: string[] = [];
  frame.random.forEach((b, k) => {
    const cn = b.columns.map((c) => c.name);
    for (let j = 0; j < b.q; j++)
      for (let i = j; i < b.q; i++) names.push(`theta_${frame.groupNames[k]}.${i === j ? cn[i] : `${cn[i]}.${cn[j]}`}`);
  });
  names.push("sigma");
  return {
    theta,
    sigma,
    beta: Array.from(ev.beta),
    vcov,
    criterion: ev.deviance,
    varpar: { names, values: vp0, vcov: A, jacobian: J },
    method: `Nelder-Mead + Newton on the profiled ${reml ? "REML criterion" : "deviance"} (${pls.mode} updates)`,
    evaluations: opt.evaluations,
  };
}

function varCorr(frame: MixedFrame, theta: number[], sigma: number): VarCorrRow[] {
  const rows: VarCorrRow[] = [];
  const qs = frame.random.map((b) => b.q);
  const layout = { q: qs, offset: [] as number[], length: 0, lower: [], start: [] };
  let o = 0;
  for (const q of qs) {
    layout.offset.push(o);
    o += (q * (q + 1)) / 2;
  }
  frame.random.forEach((b, k) => {
    const q = b.q;
    const T = templateOf(theta, layout as never, k);
    const S = new Float64Array(q * q);
    for (let i = 0; i < q; i++)
      for (let j = 0; j < q; j++) {
        let s = 0;
        for (let t = 0; t < q; t++) s += T[i * q + t] * T[j * q + t];
        S[i * q + j] = sigma * sigma * s;
      }
    const names = b.columns.map((c) => c.name);
    const grp = frame.groupNames[k];
    for (let i = 0; i < q; i++) rows.push({ grp, var1: names[i], var2: null, vcov: S[i * q + i], sdcor: Math.sqrt(S[i * q + i]) });
    for (let i = 0; i < q; i++)
      for (let j = i + 1; j < q; j++) {
        const den = Math.sqrt(S[i * q + i] * S[j * q + j]);
        rows.push({ grp, var1: names[i], var2: names[j], vcov: S[i * q + j], sdcor: den > 0 ? S[i * q + j] / den : null });
      }
  });
  rows.push({ grp: "Residual", var1: null, var2: null, vcov: sigma * sigma, sdcor: sigma });
  return rows;
}

/** Null space of the full model matrix from its cross-product (eigenvalues below 1e-10 of the largest). */
function nullspaceOf(frame: MixedFrame): number[][] {
  if (frame.rankDeficient.length === 0) return [];
  const P = frame.allColumns.length;
  const A = Array.from({ length: P }, (_, i) => Array.from(frame.xtxAll.subarray(i * P, (i + 1) * P)));
  const { values, vectors } = eigenSym(A);
  const out: number[][] = [];
  values.forEach((v, k) => {
    if (v < 1e-10 * values[0]) out.push(vectors.map((r) => r[k]));
  });
  return out;
}

/** Fit a mixed model given a prepared frame (see fitMixed). */
export function fitMixedFrame(frame: MixedFrame, options: MixedOptions = {}): MixedResult {
  const reml = options.reml ?? true;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`Confidence level must be in (0, 1); got ${level}`);
  const core = isInterceptOnly(frame, reml) ? interceptCore(frame) : generalCore(frame, reml);
  const p = frame.columns.length;
  const lowerTheta: boolean[] = [];
  for (const b of frame.random) for (let j = 0; j < b.q; j++) for (let i = j; i < b.q; i++) lowerTheta.push(i === j);
  const singular = core.theta.some((t, i) => lowerTheta[i] && t < 1e-4);
  const messages: string[] = [];
  if (frame.rankDeficient.length > 0) {
    const k = frame.rankDeficient.length;
    messages.push(
      `fixed-effect model matrix is rank deficient so dropping ${k} column${k > 1 ? "s" : ""} / coefficient${k > 1 ? "s" : ""}: ${frame.rankDeficient.join(", ")}`,
    );
  }
  if (singular) messages.push("boundary (singular) fit: see help('isSingular')");
  const groups: Record<string, number> = {};
  for (const b of frame.random) if (!(b.term.group in groups)) groups[b.term.group] = b.nLevels;
  const means: Record<string, number> = {};
  for (const [v, x] of Object.entries(frame.num)) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i];
    means[v] = s / x.length;
  }
  const fixedKinds: Record<string, VariableKind> = {};
  for (const v of frame.f.fixedVariables) fixedKinds[v] = frame.kinds[v];
  const result: MixedResult = {
    formula: frame.f.formula,
    response: frame.f.response,
    reml,
    fixed: [],
    anova: [],
    varcorr: varCorr(frame, core.theta, core.sigma),
    theta: core.theta,
    sigma: core.sigma,
    reml_criterion: reml ? core.criterion : null,
    deviance: reml ? null : core.criterion,
    loglik: -core.criterion / 2,
    singular,
    n_obs: frame.n,
    groups,
    random: frame.random.map((b, k) => ({ group: frame.groupNames[k], term: b.term.label, columns: b.columns.map((c) => c.name) })),
    rank_deficient: frame.rankDeficient,
    dropped_rows: frame.droppedRows,
    levels: frame.levels,
    messages,
    vcov: core.vcov,
    varpar: core.varpar,
    design: { columns: frame.columns, allColumns: frame.allColumns, nullspace: nullspaceOf(frame), kinds: fixedKinds, means },
    optimizer: { method: core.method, evaluations: core.evaluations },
  };
  const vp = result.varpar as unknown as LmmResult["varpar"];
  result.fixed = frame.columns.map((c, j) => {
    const L = new Array<number>(p).fill(0);
    L[j] = 1;
    return contrastCore(core.beta, result.vcov, vp, L, level, c.name);
  });
  if (options.anova ?? true) result.anova = [...anovaTable(result, frame, 3), ...anovaTable(result, frame, 2)];
  return result;
}

/**
 * Fit `formula` (lme4 syntax, see terms.ts) to rows or columns: REML (default) or ML, as
 * lme4::lmer, with lmerTest's Satterthwaite t tests, type III and II F tests and VarCorr.
 * Throws MixedModelError / FormulaError with a message naming the problem.
 */
export function fitMixed(data: MixedData, formula: string | MixedFormula, options: MixedOptions = {}): MixedResult {
  return fitMixedFrame(mixedFrame(data, formula, { factors: options.factors }), options);
}
