/**
 * Variational Laplace inversion of a static belief-update model, exactly as the VBA toolbox does it
 * (VBA_NLStateSpaceModel with no evolution function and one observation per trial; Friston et al. 2007,
 * NeuroImage 34:220; Daunizeau, Adam & Rigoux 2014, PLoS Comput Biol 10:e1003441):
 *
 *   y_t = g_t(phi) + e_t,  e_t ~ N(0, 1/tau),  phi ~ N(mu0, Q),  tau ~ Gamma(a0, b0),
 *   q(phi, tau) = N(phi; mu, Sigma) Gamma(tau; a, b)   (mean-field, Laplace on phi).
 *
 * One VB iteration (VBA_NLStateSpaceModel's main loop) =
 *   1. VBA_GN on phi: regularised Gauss-Newton ascent on the variational energy
 *        I(phi) = -1/2 (mu0 - phi)' Q^-1 (mu0 - phi) - 1/2 E[tau] sum_t (y_t - g_t(phi))^2        (VBA_Iphi)
 *      with Sigma = (Q^-1 + E[tau] J'J)^-1 and the move dmu = Sigma (Q^-1 (mu0 - phi) + E[tau] J'(y - g));
 *      a move is accepted when I does not decrease (then the next move is proposed there and F recomputed),
 *      otherwise halved; the loop stops when |dI / I| <= GnTolFun or after GnMaxIter moves; if no move was
 *      accepted, q(phi) is left as it was.
 *   2. VBA_VarParam: a = a0 + n/2, b = b0 + 1/2 sum_t (y_t - g_t(mu))^2 + 1/2 tr(Sigma J'J).
 *   3. F recomputed (VBA_FreeEnergy); stop when |F_after_2 - F_before_2| <= TolFun or at MaxIter (if >= MinIter).
 * The free energy is VBA's:
 *   F = -1/2 E[tau] SSE(mu) - 1/2 (mu0 - mu)' Q^-1 (mu0 - mu) - n/2 log 2pi + n/2 (psi(a) - log b)
 *       - 1/2 log|Q| + 1/2 log|Sigma| - KL(Gamma(a, b) || Gamma(a0, b0))
 * (the Gaussian entropy 1/2 log|2 pi e Sigma| and the -p/2 that stands for the trace terms at the mode).
 *
 * Every model of the kit has LR_t = sum_k f_k(phi_k) z_tk, so g_t = E1_t + sum_k f_k(phi_k) w_tk with
 * w_tk = z_tk (BR_t - E1_t): J'J, J'(y - g) and the sum of squares come from the sufficient statistics
 * W'W, W'd, d'd (d = E2 - E1), and an iteration costs O(p^2), not O(trials).
 */
import type { BayesModel, BayesModelName, BayesPrior, PriorPreset, SessionInput, VLOptions, VLResult } from "./types.js";
import { getBayesModel } from "./models.js";
import { sessionStats, type SessionStats } from "./session-stats.js";
import { resolvePrior } from "./priors.js";
import { invertSPD, quadForm, toNested } from "../../stats/linalg.js";
import { digamma, gammaln } from "../../../vendor/stdlib-dists.js";

const LOG_2PI = Math.log(2 * Math.PI);
const LOG_2PIE = Math.log(2 * Math.PI * Math.E);

/** VBA's default options. */
export const VBA_DEFAULTS: Required<VLOptions> = { maxIter: 32, minIter: 0, tolFun: 2e-2, gnMaxIter: 32, gnTolFun: 1e-5 };

/** Gamma KL divergence KL(Gamma(a1, b1) || Gamma(a2, b2)) computed as VBA_KL does (from the moments). */
function gammaKL(a: number, b: number, a0: number, b0: number): number {
  const m1 = a / b;
  const v1 = a / (b * b);
  const m2 = a0 / b0;
  const v2 = a0 / (b0 * b0);
  if (m1 === m2 && v1 === v2) return 0;
  const b1 = m1 / v1;
  const b2 = m2 / v2;
  const a1 = b1 * m1;
  const a2 = b2 * m2;
  return gammaln(a2) - gammaln(a1) - a1 * (1 - b2 / b1) + a2 * Math.log(b1 / b2) + (a1 - a2) * digamma(a1);
}

/** Working memory of one inversion. */
class Work {
  readonly p: number;
  readonly isExp: Uint8Array;
  // prior
  readonly mu0: Float64Array;
  readonly Q: Float64Array;
  readonly iQ: Float64Array;
  logdetQ = 0;
  a0 = 1;
  b0 = 1;
  // data
  st!: SessionStats;
  // posterior and VBA's sufficient statistics (dy2, dphi of the last accepted move)
  readonly mu: Float64Array;
  readonly Sig: Float64Array;
  logdetSig = 0;
  aS = 1;
  bS = 1;
  dy2 = 0;
  readonly dphi: Float64Array;
  // outputs of iphi()
  readonly ISig: Float64Array;
  readonly Idmu: Float64Array;
  readonly Idphi: Float64Array;
  Idy2 = 0;
  IlogdetSig = 0;
  // scratch
  readonly h: Float64Array;
  readonly dh: Float64Array;
  readonly Mh: Float64Array;
  readonly JtJ: Float64Array;
  readonly iSig: Float64Array;
  readonly L: Float64Array;
  readonly col: Float64Array;
  readonly g: Float64Array;
  readonly prevMu: Float64Array;
  readonly delta: Float64Array;
  readonly tryMu: Float64Array;
  readonly Sig0: Float64Array;

  constructor(model: BayesModel) {
    const p = model.terms.length;
    this.p = p;
    this.isExp = Uint8Array.from(model.terms, (t) => (t.transform === "exp" ? 1 : 0));
    const v = () => new Float64Array(p);
    const m = () => new Float64Array(p * p);
    this.mu0 = v();
    this.Q = m();
    this.iQ = m();
    this.mu = v();
    this.Sig = m();
    this.dphi = v();
    this.ISig = m();
    this.Idmu = v();
    this.Idphi = v();
    this.h = v();
    this.dh = v();
    this.Mh = v();
    this.JtJ = m();
    this.iSig = m();
    this.L = m();
    this.col = v();
    this.g = v();
    this.prevMu = v();
    this.delta = v();
    this.tryMu = v();
    this.Sig0 = m();
  }

  setPrior(prior: BayesPrior): void {
    const p = this.p;
    for (let i = 0; i < p; i++) {
      this.mu0[i] = prior.mean[i];
      for (let j = 0; j < p; j++) this.Q[i * p + j] = prior.covariance[i][j];
    }
    this.logdetQ = invertSPD(this.Q, p, this.iQ, this.L, this.col);
    this.a0 = prior.precision_shape;
    this.b0 = prior.precision_rate;
  }

  /** h = f(phi), dh = f'(phi), Mh = W'W h; returns the sum of squared residuals at phi; fills JtJ. */
  evalAt(phi: Float64Array): number {
    const { p, h, dh, Mh, JtJ, isExp } = this;
    const M = this.st.WtW;
    const v = this.st.Wtd;
    for (let k = 0; k < p; k++) {
      if (isExp[k]) {
        h[k] = Math.exp(phi[k]);
        dh[k] = h[k];
      } else {
        h[k] = phi[k];
        dh[k] = 1;
      }
    }
    let hv = 0;
    let hMh = 0;
    for (let k = 0; k < p; k++) {
      let s = 0;
      for (let l = 0; l < p; l++) s += M[k * p + l] * h[l];
      Mh[k] = s;
      hv += h[k] * v[k];
      hMh += h[k] * s;
    }
    for (let k = 0; k < p; k++) for (let l = 0; l < p; l++) JtJ[k * p + l] = dh[k] * dh[l] * M[k * p + l];
    const dy2 = this.st.dtd - 2 * hv + hMh;
    // Rounding can leave an exact fit a hair below 0; NaN (overflow) is kept for the weirdness check.
    return dy2 > 0 || Number.isNaN(dy2) ? dy2 : 0;
  }

  /** VBA_Iphi at phi with precision E[tau] = sigmaHat: fills ISig, Idmu, Idphi, Idy2; returns I (-Inf when weird). */
  iphi(phi: Float64Array, sigmaHat: number): number {
    const { p, iQ, iSig, JtJ, g, Idphi, Idmu, ISig, dh, Mh } = this;
    const dy2 = this.evalAt(phi);
    let weird = !Number.isFinite(dy2);
    for (let i = 0; i < p * p; i++) {
      if (!Number.isFinite(JtJ[i])) weird = true;
      iSig[i] = iQ[i] + sigmaHat * JtJ[i];
    }
    const logdetISig = invertSPD(iSig, p, ISig, this.L, this.col);
    const v = this.st.Wtd;
    for (let k = 0; k < p; k++) Idphi[k] = this.mu0[k] - phi[k];
    for (let k = 0; k < p; k++) {
      let s = 0;
      for (let l = 0; l < p; l++) s += iQ[k * p + l] * Idphi[l];
      g[k] = s + sigmaHat * dh[k] * (v[k] - Mh[k]);
    }
    for (let k = 0; k < p; k++) {
      let s = 0;
      for (let l = 0; l < p; l++) s += ISig[k * p + l] * g[l];
      Idmu[k] = s;
    }
    this.Idy2 = dy2;
    this.IlogdetSig = -logdetISig;
    const I = -0.5 * quadForm(Idphi, iQ, Idphi, p) - 0.5 * sigmaHat * dy2;
    if (weird || !Number.isFinite(I) || Number.isNaN(logdetISig)) return -Infinity;
    for (let i = 0; i < p * p; i++) if (!Number.isFinite(ISig[i])) return -Infinity;
    return I;
  }

  /** VBA_FreeEnergy at the current posterior and sufficient statistics. */
  freeEnergy(): number {
    const { p, aS, bS } = this;
    const n = this.st.n;
    const E = aS / bS;
    const ElogS = digamma(aS) - Math.log(bS);
    const SSE = E * this.dy2 + quadForm(this.dphi, this.iQ, this.dphi, p);
    const S = 0.5 * p * LOG_2PIE + 0.5 * this.logdetSig - 0.5 * p;
    const dF = -gammaKL(aS, bS, this.a0, this.b0) + 0.5 * n * ElogS;
    return -0.5 * SSE - 0.5 * (n + p) * LOG_2PI - 0.5 * this.logdetQ + S + dF;
  }

  /** VBA_GN on phi; returns the free energy after it (unchanged if no move was accepted). */
  gaussNewton(Fprev: number, o: Required<VLOptions>): number {
    const { p, mu, Sig, prevMu, delta, tryMu, Sig0 } = this;
    const sigmaHat = this.aS / this.bS;
    let prevI = this.iphi(mu, sigmaHat);
    Sig0.set(Sig);
    const logdetSig0 = this.logdetSig;
    Sig.set(this.ISig);
    this.logdetSig = this.IlogdetSig;
    prevMu.set(mu);
    delta.set(this.Idmu);
    let F = Fprev;
    let accepted = false;
    for (let it = 1; ; it++) {
      for (let k = 0; k < p; k++) tryMu[k] = prevMu[k] + delta[k];
      const I = this.iphi(tryMu, sigmaHat);
      const deltaI = I - prevI;
      const rdf = deltaI / Math.abs(prevI);
      if (deltaI < 0) {
        for (let k = 0; k < p; k++) delta[k] *= 0.5;
      } else {
        delta.set(this.Idmu);
        prevMu.set(tryMu);
        prevI = I;
        mu.set(tryMu);
        Sig.set(this.ISig);
        this.logdetSig = this.IlogdetSig;
        this.dy2 = this.Idy2;
        this.dphi.set(this.Idphi);
        F = this.freeEnergy();
        accepted = true;
      }
      if (Math.abs(rdf) <= o.gnTolFun || it === o.gnMaxIter) break;
    }
    if (!accepted) {
      Sig.set(Sig0);
      this.logdetSig = logdetSig0;
    }
    return F;
  }

  /** VBA_VarParam: the Gamma posterior of the noise precision at the current q(phi). */
  varParam(): void {
    const { p, Sig, JtJ } = this;
    const dy2 = this.evalAt(this.mu);
    let tr = 0;
    for (let k = 0; k < p; k++) for (let l = 0; l < p; l++) tr += Sig[k * p + l] * JtJ[l * p + k];
    this.aS = this.a0 + 0.5 * this.st.n;
    this.bS = this.b0 + 0.5 * dy2 + 0.5 * tr;
  }

  /** The whole VB scheme from the prior; returns [F, iterations, converged]. */
  run(o: Required<VLOptions>): [number, number, boolean] {
    this.mu.set(this.mu0);
    this.Sig.set(this.Q);
    this.logdetSig = this.logdetQ;
    this.aS = this.a0;
    this.bS = this.b0;
    this.dy2 = this.evalAt(this.mu0);
    this.dphi.fill(0);
    let F = this.freeEnergy();
    let it = 0;
    for (;;) {
      it++;
      F = this.gaussNewton(F, o);
      const Fbefore = F;
      this.varParam();
      F = this.freeEnergy();
      const dF = F - Fbefore;
      if (((Math.abs(dF) <= o.tolFun || it === o.maxIter) && it >= o.minIter) || !Number.isFinite(dF))
        return [F, it, Math.abs(dF) <= o.tolFun];
    }
  }
}

// One working memory per model object (inversions run one at a time).
const workCache = new WeakMap<BayesModel, Work>();

export function resolveVLOptions(options: VLOptions | undefined): Required<VLOptions> {
  const o = { ...VBA_DEFAULTS, ...(options ?? {}) };
  const int = (v: number, name: string, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`VL option ${name} must be an integer >= ${min}, got ${v}`);
  };
  int(o.maxIter, "maxIter", 1);
  int(o.minIter, "minIter", 0);
  int(o.gnMaxIter, "gnMaxIter", 1);
  if (o.minIter > o.maxIter) throw new Error(`VL option minIter (${o.minIter}) must not exceed maxIter (${o.maxIter})`);
  for (const k of ["tolFun", "gnTolFun"] as const)
    if (!(o[k] >= 0) || !Number.isFinite(o[k])) throw new Error(`VL option ${k} must be a finite number >= 0, got ${o[k]}`);
  return o;
}

/**
 * Invert a model from a session's sufficient statistics (see sessionStats) under a validated prior and resolved
 * options (resolveVLOptions). The model may be one of the registry or any BayesModel of the same form.
 */
export function invertStats(model: BayesModel, st: SessionStats, prior: BayesPrior, o: Required<VLOptions>): VLResult {
  let w = workCache.get(model);
  if (!w) {
    w = new Work(model);
    workCache.set(model, w);
  }
  w.setPrior(prior);
  w.st = st;
  const [F, iterations, converged] = w.run(o);
  const p = w.p;
  const mean = Array.from(w.mu);
  const rates = model.report(w.mu, st.mean_abs_ee);
  const params: Record<string, number> = {};
  model.paramNames.forEach((name, i) => (params[name] = mean[i]));
  const warnings: string[] = [];
  if (st.n === 0) warnings.push("no usable trials: the posterior is the prior");
  else if (st.n_good === 0 || st.n_bad === 0) {
    if (p > 1) warnings.push(`trials of one valence only (${st.n_good} good, ${st.n_bad} bad news): the parameters are not separately identifiable`);
  }
  if (!converged) warnings.push(`VB stopped at maxIter = ${o.maxIter} iterations without |dF| <= ${o.tolFun}`);
  if (st.n > 0)
    for (let i = 0; i < p; i++) {
      const post = w.Sig[i * p + i];
      const pri = w.Q[i * p + i];
      if (post > 0.9 * pri)
        warnings.push(
          `posterior variance of ${model.paramNames[i]} is ${(post / pri).toFixed(3)} of its prior variance: the data barely inform it (the prior dominates)`,
        );
    }
  return {
    model: model.name,
    mean,
    covariance: toNested(w.Sig, p),
    precision_shape: w.aS,
    precision_rate: w.bS,
    noise_sd: Math.sqrt(w.bS / w.aS),
    F,
    iterations,
    converged,
    n: st.n,
    n_good: st.n_good,
    n_bad: st.n_bad,
    n_dropped: st.n_dropped,
    mean_abs_ee: st.mean_abs_ee,
    alpha_good: rates.alpha_good,
    alpha_bad: rates.alpha_bad,
    asymmetry: rates.asymmetry,
    params,
    warnings,
  };
}

/**
 * Invert one model for one participant-session by variational Laplace as VBA does.
 * prior: a preset name ("kit", the default, or "greaves") or a BayesPrior in the model's parameter order.
 */
export function invertSession(
  session: SessionInput,
  model: BayesModelName | string,
  prior: BayesPrior | PriorPreset | string = "kit",
  options?: VLOptions,
): VLResult {
  const m = getBayesModel(model);
  return invertStats(m, sessionStats(m, session), resolvePrior(m.name, prior), resolveVLOptions(options));
}

/** invertSession over many participant-sessions with one model and prior (resolved and validated once). */
export function invertSessions(
  sessions: readonly SessionInput[],
  model: BayesModelName | string,
  prior: BayesPrior | PriorPreset | string = "kit",
  options?: VLOptions,
): VLResult[] {
  const m = getBayesModel(model);
  const pr = resolvePrior(m.name, prior);
  const o = resolveVLOptions(options);
  return sessions.map((s) => invertStats(m, sessionStats(m, s), pr, o));
}
