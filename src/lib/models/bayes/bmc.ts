/**
 * Random-effects Bayesian model selection from a matrix of log evidences, as VBA_groupBMC does it
 * (Stephan et al. 2009, NeuroImage 46:1004; Rigoux et al. 2014, NeuroImage 84:971; Daunizeau et al. 2014).
 *
 * Generative model: model frequencies r ~ Dir(a0), each subject's model m_i ~ Cat(r), p(y_i | m_i = k) = exp(L_ki).
 * Mean-field VB: q(m_i) = Cat(u_i), q(r) = Dir(a):
 *   u_ki  proportional to exp(L_ki + E[log r_k]),   a = a0 + sum_i u_i,
 * iterated from u_i = a0 / sum a0 until |dF| <= TolFun (1e-4) or MaxIter (32) VB updates (MinIter 1), where
 *   F = E[log p(L, m, r)] + H[q(r)] + H[q(m)].
 * E[log r_k] is VBA_ElogBeta's: digamma(a_k) - digamma(sum a) for a_k > 0.1, VBA's fitted approximation below.
 * The default prior counts a0 add up to 1 (1/K each; with families 1/|family| per model, then normalised), as VBA.
 * The Bayesian omnibus risk compares F with the free energy F0 of the null "all frequencies equal":
 *   bor = 1 / (1 + exp(F - F0)),  protected exceedance pxp_k = ep_k (1 - bor) + bor / K.
 * With families (a partition of the models), F0 is the family null (equal family frequencies) as in VBA, and the
 * family posterior is the sum of its models' counts and attributions.
 */
import { digamma, gammaln } from "../../../vendor/stdlib-dists.js";
import { softmaxInto } from "../../stats/distributions.js";
import { dirichletExceedance, type ExceedanceOptions } from "./exceedance.js";

const EPS = Number.EPSILON; // MATLAB eps, used by VBA in r log(r + eps)

export interface GroupBMCOptions extends ExceedanceOptions {
  /** Model names, one per row of L (default "m1", "m2", ...). */
  modelNames?: string[];
  /** A partition of the models into families: family name -> model names or 0-based row indices. */
  families?: Record<string, readonly (string | number)[]>;
  /** Prior Dirichlet counts a0 (VBA options.priors.a); default: add up to 1, see above. */
  priorCounts?: number[];
  /** VBA options.MaxIter (default 32), MinIter (1), TolFun (1e-4). */
  maxIter?: number;
  minIter?: number;
  tolFun?: number;
}

export interface FamilyBMCResult {
  names: string[];
  /** Model indices of each family. */
  members: number[][];
  alpha: number[];
  frequency: number[];
  frequency_variance: number[];
  exceedance: number[];
  /** ep_f (1 - bor) + bor / number of families (not output by VBA_groupBMC; same formula at the family level). */
  protected_exceedance: number[];
  /** Family attributions (families x subjects). */
  assignments: number[][];
  /** Free energy of the family null (VBA out.families.F0) and the family fixed-effects free energy (out.families.Fffx). */
  F0: number;
  F_ffx: number;
}

export interface GroupBMCResult {
  models: string[];
  /** Posterior Dirichlet counts (VBA posterior.a). */
  alpha: number[];
  /** Expected model frequencies E[r] (VBA out.Ef) and their variances (out.Vf). */
  frequency: number[];
  frequency_variance: number[];
  /** Exceedance probabilities (VBA out.ep). */
  exceedance: number[];
  exceedance_method: "exact-beta" | "monte-carlo" | "single-model";
  exceedance_samples: number | null;
  exceedance_seed: number | null;
  /** Monte Carlo standard error of the exceedance probabilities (max over models), null when exact. */
  exceedance_mc_se: number | null;
  /** Protected exceedance probabilities (VBA out.pxp); null with families (VBA computes none then). */
  protected_exceedance: number[] | null;
  /** Bayesian omnibus risk (VBA out.bor); with families, against the family null. */
  bor: number;
  /** Posterior model attributions u (models x subjects; VBA posterior.r). */
  assignments: number[][];
  /** Free energy at convergence, of the null (VBA out.F0) and of the fixed-effects analysis (out.Fffx). */
  F: number;
  F0: number;
  F_ffx: number;
  /** Free energy after the initialisation and after each VB update (VBA out.F). */
  F_trace: number[];
  /** VB updates run (F_trace.length - 1). */
  iterations: number;
  prior_counts: number[];
  families: FamilyBMCResult | null;
}

/** VBA_ElogBeta: E[log x] for x ~ Beta(a, b), with VBA's approximation for a <= 0.1. */
export function elogBeta(a: number, b: number): number {
  if (a > 1e-1) return digamma(a) - digamma(a + b);
  const lb = Math.log(b);
  const P1 = -1.1659 + 0.0755 * lb;
  const P2 = 3.6447 - 0.3278 * lb;
  const P3 = -35.9705 - 0.0669 * lb;
  return P3 / (1 + Math.exp(-P1 * Math.log(a) + P2));
}


/** The free energy of VBA_groupBMC (subfunction FE). L is K x n; r is K x n. */
function freeEnergy(L: number[][], r: Float64Array[], a: Float64Array, a0: readonly number[]): number {
  const K = a.length;
  const n = L[0].length;
  let sa = 0;
  for (const v of a) sa += v;
  const Elogr = Array.from(a, (v) => elogBeta(v, sa - v));
  let Sqf = -gammaln(sa);
  for (let k = 0; k < K; k++) Sqf += gammaln(a[k]) - (a[k] - 1) * Elogr[k];
  let Sqm = 0;
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) Sqm -= r[i][k] * Math.log(r[i][k] + EPS);
  let sa0 = 0;
  for (const v of a0) sa0 += v;
  let ELJ = gammaln(sa0);
  for (let k = 0; k < K; k++) ELJ += -gammaln(a0[k]) + (a0[k] - 1) * Elogr[k];
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) ELJ += r[i][k] * (Elogr[k] + L[k][i]);
  return ELJ + Sqf + Sqm;
}

/** VBA's FE_null: free energy of the null (all model frequencies 1/K), and of the family null when f0 is given. */
function nullFreeEnergy(L: number[][], f0: number[] | null): [number, number] {
  const K = L.length;
  const n = L[0].length;
  const col = new Float64Array(K);
  const g = new Float64Array(K);
  let F0m = 0;
  let F0f = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) col[k] = L[k][i];
    softmaxInto(col, g);
    for (let k = 0; k < K; k++) {
      F0m += g[k] * (L[k][i] - Math.log(g[k] + EPS) - Math.log(K));
      if (f0) F0f += g[k] * (L[k][i] - Math.log(g[k] + EPS) + Math.log(f0[k]));
    }
  }
  return [F0m, F0f];
}

/** VBA's FE_ffx: free energy of the fixed-effects analysis under prior model probabilities w. */
function ffxFreeEnergy(L: number[][], w: number[]): number {
  const K = L.length;
  const ss = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (const v of L[k]) s += v;
    ss[k] = s + Math.log(w[k]);
  }
  const z = new Float64Array(K);
  softmaxInto(ss, z);
  let F = 0;
  for (let k = 0; k < K; k++) F += z[k] * ss[k] - z[k] * Math.log(z[k] + EPS);
  return F;
}

function dirichletMoments(a: ArrayLike<number>): [number[], number[]] {
  let a0 = 0;
  for (let k = 0; k < a.length; k++) a0 += a[k];
  const E = Array.from(a, (v) => v / a0);
  const V = Array.from(a, (v) => (v * (a0 - v)) / (a0 * a0 * (a0 + 1)));
  return [E, V];
}

function parseFamilies(families: Record<string, readonly (string | number)[]>, models: string[]): { names: string[]; members: number[][] } {
  const names = Object.keys(families);
  if (names.length === 0) throw new Error("groupBMC families: no family given");
  const owner = new Map<number, string>();
  const members = names.map((f) => {
    const list = families[f];
    if (!Array.isArray(list) || list.length === 0) throw new Error(`groupBMC families: family "${f}" is empty`);
    return list.map((m) => {
      const k = typeof m === "number" ? m : models.indexOf(m);
      if (!Number.isInteger(k) || k < 0 || k >= models.length)
        throw new Error(`groupBMC families: family "${f}" names model ${JSON.stringify(m)}, which does not exist (models: ${models.join(", ")})`);
      const prev = owner.get(k);
      if (prev !== undefined) throw new Error(`groupBMC families: families are not mutually exclusive (model "${models[k]}" is in "${prev}" and "${f}")`);
      owner.set(k, f);
      return k;
    });
  });
  const missing = models.filter((_, k) => !owner.has(k));
  if (missing.length) throw new Error(`groupBMC families: families do not cover every model (missing: ${missing.join(", ")})`);
  return { names, members };
}

/**
 * Random-effects BMS on L (models x subjects log evidences, e.g. VL free energies), exactly as VBA_groupBMC.
 * Throws on an empty or ragged matrix, a non-finite evidence, or an invalid family partition.
 */
export function groupBMC(L: number[][], options: GroupBMCOptions = {}): GroupBMCResult {
  const K = L.length;
  if (K === 0) throw new Error("groupBMC: the log-evidence matrix has no model (rows)");
  const n = L[0].length;
  if (n === 0) throw new Error("groupBMC: the log-evidence matrix has no subject (columns)");
  L.forEach((row, k) => {
    if (row.length !== n) throw new Error(`groupBMC: row ${k} has ${row.length} subjects, row 0 has ${n} (L must be models x subjects)`);
    row.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new Error(`groupBMC: log evidence of model ${k}, subject ${i} is not finite (${v})`);
    });
  });
  const models = options.modelNames ?? L.map((_, k) => `m${k + 1}`);
  if (models.length !== K) throw new Error(`groupBMC: ${models.length} model names for ${K} models`);
  const fam = options.families ? parseFamilies(options.families, models) : null;
  const maxIter = options.maxIter ?? 32;
  const minIter = options.minIter ?? 1;
  const tolFun = options.tolFun ?? 1e-4;

  let a0: number[];
  if (options.priorCounts) {
    if (options.priorCounts.length !== K || options.priorCounts.some((v) => !(v > 0) || !Number.isFinite(v)))
      throw new Error(`groupBMC: priorCounts must be ${K} finite numbers > 0`);
    a0 = [...options.priorCounts];
  } else {
    a0 = new Array<number>(K).fill(1);
    if (fam) fam.members.forEach((m) => m.forEach((k) => (a0[k] = 1 / m.length)));
    const s = a0.reduce((x, y) => x + y, 0);
    a0 = a0.map((v) => v / s);
  }
  const sa0 = a0.reduce((x, y) => x + y, 0);

  // r[i] = attributions of subject i (VBA posterior.r(:, i)).
  const r = Array.from({ length: n }, () => Float64Array.from(a0, (v) => v / sa0));
  const a = Float64Array.from(a0);
  const F_trace = [freeEnergy(L, r, a, a0)];
  const col = new Float64Array(K);
  for (let it = 2; ; it++) {
    let sa = 0;
    for (const v of a) sa += v;
    const Elogr = Array.from(a, (v) => elogBeta(v, sa - v));
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) col[k] = L[k][i] + Elogr[k];
      softmaxInto(col, r[i]);
    }
    for (let k = 0; k < K; k++) {
      let s = a0[k];
      for (let i = 0; i < n; i++) s += r[i][k];
      a[k] = s;
    }
    F_trace.push(freeEnergy(L, r, a, a0));
    if (it >= minIter && (Math.abs(F_trace[it - 1] - F_trace[it - 2]) <= tolFun || it >= maxIter)) break;
  }
  const F = F_trace[F_trace.length - 1];
  const alpha = Array.from(a);
  const [frequency, frequency_variance] = dirichletMoments(a);
  const ex = dirichletExceedance(alpha, options);
  const assignments = Array.from({ length: K }, (_, k) => Array.from(r, (ri) => ri[k]));

  let families: FamilyBMCResult | null = null;
  let bor: number;
  let F0: number;
  let protected_exceedance: number[] | null = null;
  if (fam) {
    const nf = fam.names.length;
    const famOf = new Array<number>(K);
    fam.members.forEach((m, f) => m.forEach((k) => (famOf[k] = f)));
    const f0 = famOf.map((f) => 1 / (nf * fam.members[f].length));
    const [F0m, F0f] = nullFreeEnergy(L, f0);
    F0 = F0m;
    bor = 1 / (1 + Math.exp(F - F0f));
    const fa = fam.members.map((m) => m.reduce((s, k) => s + a[k], 0));
    const [fE, fV] = dirichletMoments(fa);
    const fex = dirichletExceedance(fa, options);
    const fr = fam.members.map((m) => Array.from(r, (ri) => m.reduce((s, k) => s + ri[k], 0)));
    families = {
      names: fam.names,
      members: fam.members,
      alpha: fa,
      frequency: fE,
      frequency_variance: fV,
      exceedance: fex.ep,
      protected_exceedance: fex.ep.map((e) => e * (1 - bor) + bor / nf),
      assignments: fr,
      F0: F0f,
      F_ffx: ffxFreeEnergy(L, f0),
    };
  } else {
    F0 = nullFreeEnergy(L, null)[0];
    bor = 1 / (1 + Math.exp(F - F0));
    protected_exceedance = ex.ep.map((e) => e * (1 - bor) + bor / K);
  }
  return {
    models,
    alpha,
    frequency,
    frequency_variance,
    exceedance: ex.ep,
    exceedance_method: ex.method,
    exceedance_samples: ex.samples,
    exceedance_seed: ex.seed,
    exceedance_mc_se: ex.mc_standard_error,
    protected_exceedance,
    bor,
    assignments,
    F,
    F0,
    F_ffx: ffxFreeEnergy(L, new Array<number>(K).fill(1 / K)),
    F_trace,
    iterations: F_trace.length - 1,
    prior_counts: a0,
    families,
  };
}
