/** Fitting: REML on the profiled criterion, Satterthwaite tests of every fixed effect, from rows or typed columns. */
import { squareProduct } from "../stats/linalg.js";
import { parseFormula, type ParsedFormula, type VariableKind } from "../stats/formula.js";
import { fullDesign, keepColumns, frameFromRows, type FullDesign, type LmmFrame } from "./frame.js";
import { allColumnsClearlyKept, rankKeptColumns } from "./rank.js";
import { RemlProfile, type RemlEvaluation } from "./reml.js";
import { contrastCore, pinv2 } from "./satterthwaite.js";
import type { LmmColumns, LmmDesign, LmmOptions, LmmResult, LmmRow } from "./types.js";

function toRows(a: Float64Array, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < k; i++) out.push(Array.from(a.subarray(i * k, (i + 1) * k)));
  return out;
}

/** Profile of the kept columns: the fast rank check on X'X, else lme4's QR rule. */
function profiledDesign(d: FullDesign): { design: LmmDesign; prof: RemlProfile } {
  const P = d.columns.length;
  const nObs = d.y.length;
  if (nObs - P >= 1) {
    const prof = new RemlProfile(d.Xfull, d.y, d.group, d.nGroups);
    if (allColumnsClearlyKept(prof.crossProduct(), P)) {
      return { design: keepColumns(d, Array.from({ length: P }, (_, j) => j)), prof };
    }
  }
  const design = keepColumns(d, rankKeptColumns(d.Xfull, nObs, P));
  return { design, prof: new RemlProfile(design.X, design.y, design.group, design.nGroups) };
}

/**
 * Fit `response ~ fixed terms + (1 | group)` by REML, as lme4::lmer(REML = TRUE),
 * with Satterthwaite t tests as lmerTest's summary(). Errors: see lmmDesign().
 */
export function fitLmm(rows: readonly LmmRow[], formula: string | ParsedFormula, options: LmmOptions = {}): LmmResult {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`Confidence level must be in (0, 1); got ${level}`);
  return fitDesign(profiledDesign(fullDesign(frameFromRows(rows, formula, options))), level);
}

/**
 * fitLmm on typed columns: the same model frame, model matrix and fit as fitLmm on the equivalent
 * rows, without building them. Returns null when the columns cannot represent what fitLmm would do
 * with rows (a variable of the formula that is not a column, a value outside a factor's levels, a
 * non-finite number): the caller then uses fitLmm, which reports the problem.
 */
export function fitLmmColumns(cols: LmmColumns, formula: string | ParsedFormula, options: LmmOptions = {}): LmmResult | null {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) return null;
  const f = typeof formula === "string" ? parseFormula(formula) : formula;
  const N = cols.n;
  if (N === 0 || f.group !== cols.group.name || !Object.prototype.hasOwnProperty.call(cols.numeric, f.response)) return null;
  const factors = options.factors ?? {};
  if (Object.prototype.hasOwnProperty.call(factors, f.response)) return null;
  for (const lv of Object.values(factors)) if (!Array.isArray(lv) || lv.length === 0 || new Set(lv.map(String)).size !== lv.length) return null;
  const kinds: Record<string, VariableKind> = {};
  for (const v of f.fixedVariables) {
    const fac = Object.prototype.hasOwnProperty.call(cols.factors, v) ? cols.factors[v] : undefined;
    const given = Object.prototype.hasOwnProperty.call(factors, v) ? factors[v] : undefined;
    if (fac) {
      if (!given || given.length !== fac.levels.length || given.some((l, j) => String(l) !== fac.levels[j])) return null;
      kinds[v] = { kind: "factor", levels: fac.levels.slice() };
    } else if (Object.prototype.hasOwnProperty.call(cols.numeric, v) && !given && v !== f.group) kinds[v] = { kind: "numeric" };
    else return null;
  }
  const complete = new Uint8Array(N).fill(1);
  const y = cols.numeric[f.response];
  for (let i = 0; i < N; i++) {
    const v = y[i];
    if (Number.isNaN(v)) complete[i] = 0;
    else if (!Number.isFinite(v)) return null;
  }
  const gc = cols.group.codes;
  for (let i = 0; i < N; i++) if (gc[i] < 0) complete[i] = 0;
  const numAll: Record<string, Float64Array> = {};
  const levAll: Record<string, Int32Array> = {};
  for (const v of f.fixedVariables) {
    if (kinds[v].kind === "numeric") {
      const x = (numAll[v] = cols.numeric[v]);
      for (let i = 0; i < N; i++) {
        if (Number.isNaN(x[i])) complete[i] = 0;
        else if (!Number.isFinite(x[i])) return null;
      }
    } else {
      const codes = (levAll[v] = cols.factors[v].codes);
      for (let i = 0; i < N; i++) {
        if (codes[i] === -2) complete[i] = 0;
        else if (codes[i] < 0) return null;
      }
    }
  }
  const used = [f.response, ...f.fixedVariables.filter((v) => v !== f.group), f.group];
  const frame: LmmFrame = { f, N, kinds, complete, yAll: y, groupCode: gc, nGroupCodes: cols.group.count, numAll, levAll, used };
  return fitDesign(profiledDesign(fullDesign(frame)), level);
}

/** REML fit and Satterthwaite tests of a model matrix and its profile. */
function fitDesign({ design, prof }: { design: LmmDesign; prof: RemlProfile }, level: number): LmmResult {
  const { formula: f, y, rankDeficient } = design;
  const nObs = y.length;
  const p = design.columns.length;
  const G = design.nGroups;
  const fin = prof.optimizeTheta();
  const theta = fin.theta;
  const nmp = nObs - p;
  const sigma2 = fin.pwrss / nmp;
  const sigma = Math.sqrt(sigma2);
  const beta = Array.from(fin.beta);

  const { vcov, Avar, dCdTheta, dCdSigma } = interceptInference(fin, nObs, p);

  const singular = theta < 1e-4;
  const messages: string[] = [];
  if (rankDeficient.length > 0) {
    const k = rankDeficient.length;
    messages.push(
      `fixed-effect model matrix is rank deficient so dropping ${k} column${k > 1 ? "s" : ""} / coefficient${k > 1 ? "s" : ""}: ${rankDeficient.join(", ")}`,
    );
  }
  if (singular) messages.push("boundary (singular) fit: the random-intercept variance is estimated at (or near) 0");

  const keptNames = design.columns;
  const result: LmmResult = {
    formula: f.formula,
    response: f.response,
    group: f.group,
    fixed: [],
    random: { participant_sd: theta * sigma, residual_sd: sigma },
    theta,
    reml_criterion: fin.deviance,
    n_obs: nObs,
    n_groups: G,
    singular,
    rank_deficient: rankDeficient,
    dropped_rows: design.droppedRows,
    levels: design.levels,
    messages,
    vcov: toRows(vcov, p),
    varpar: {
      names: ["theta", "sigma"],
      values: [theta, sigma],
      vcov: Avar,
      jacobian: [toRows(dCdTheta, p), toRows(dCdSigma, p)],
    },
  };
  result.fixed = keptNames.map((name, j) => {
    const L = new Array<number>(p).fill(0);
    L[j] = 1;
    return contrastCore(beta, result.vcov, result.varpar, L, level, name);
  });
  assertFinite(result, "result");
  return result;
}

/**
 * Covariance of beta_hat and lmerTest's variance-parameter pieces at the REML optimum of a single
 * random intercept, in closed form: A = 2 H^+ (H: Hessian of the REML deviance in (theta, sigma))
 * and the Jacobian of C = sigma^2 (X'V0^-1X)^-1. Shared by fitLmm and the general engine's
 * random-intercept fast path (src/lib/lmm/mixed.ts).
 */
export function interceptInference(
  fin: RemlEvaluation,
  nObs: number,
  p: number,
): { vcov: Float64Array; Avar: number[][]; dCdTheta: Float64Array; dCdSigma: Float64Array } {
  const theta = fin.theta;
  const nmp = nObs - p;
  const sigma2 = fin.pwrss / nmp;
  const sigma = Math.sqrt(sigma2);
  const Minv = fin.Minv;
  // Hessian of the REML deviance in (theta, sigma) — analytic version of
  // numDeriv::hessian(lmerTest:::devfun_vp).  With u = theta^2 and
  // d(theta, sigma) = f(u) + r(u)/sigma^2 + (n - p) log(2 pi sigma^2):
  //   d_tt = 2 f_u + 4u f_uu + (2 r_u + 4u r_uu)/sigma^2
  //   d_ts = -2 (2 theta r_u) / sigma^3
  //   d_ss = 6 r / sigma^4 - 2 (n - p) / sigma^2
  const s2 = fin.second!;
  const u = theta * theta;
  const h00 = 2 * s2.fU + 4 * u * s2.fUU + (2 * s2.rU + 4 * u * s2.rUU) / sigma2;
  const h01 = (-2 * (2 * theta * s2.rU)) / (sigma2 * sigma);
  const h11 = (6 * fin.pwrss) / (sigma2 * sigma2) - (2 * nmp) / sigma2;
  const Ainv = pinv2(h00, h01, h11);
  const Avar = Ainv.map((row) => row.map((x) => 2 * x));

  // Jacobian of C = sigma^2 M^-1:  dC/dtheta = -sigma^2 M^-1 (2 theta M_u) M^-1,  dC/dsigma = 2 sigma M^-1.
  const MU = s2.MU;
  const T = squareProduct(Minv, MU, p);
  const dCdTheta = squareProduct(T, Minv, p).map((s) => -sigma2 * 2 * theta * s);
  const dCdSigma = Minv.map((x) => 2 * sigma * x);
  const vcov = Minv.map((x) => sigma2 * x);

  return { vcov, Avar, dCdTheta, dCdSigma };
}

/**
 * Guard for the JSON output: every number must be finite (undefined
 * quantities are null); -0 becomes 0 so that a JSON round trip is exact.
 */
export function assertFinite(x: unknown, path: string): void {
  if (Array.isArray(x)) {
    x.forEach((v, i) => {
      if (typeof v === "number") x[i] = checkNumber(v, `${path}[${i}]`);
      else assertFinite(v, `${path}[${i}]`);
    });
  } else if (x !== null && typeof x === "object") {
    const o = x as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === "number") o[k] = checkNumber(v, `${path}.${k}`);
      else assertFinite(v, `${path}.${k}`);
    }
  }
}

function checkNumber(v: number, path: string): number {
  if (!Number.isFinite(v)) throw new Error(`fitLmm: internal error, non-finite value at ${path}`);
  return v === 0 ? 0 : v;
}
