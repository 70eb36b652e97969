/**
 * The EM of one (group, session) cell of the hierarchical fit (see index.ts): the pooled starting prior,
 * the M-step of Huys et al. (2011) and the accelerated iteration to the EM fixed point.
 */
import type { GaussianPrior, HierarchicalOptions } from "./types.js";
import { eStepSubject, rssOf, type Subject } from "./subject.js";
import { choleskyDropSolveInto, solveGeneral } from "../../stats/linalg.js";

/** Starting prior of a cell: mean at the pooled least-squares fit of the cell, unit variances. */
export function initialPrior(subjects: Subject[], p: number): GaussianPrior {
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  let yty = 0;
  let n = 0;
  for (const s of subjects) {
    for (let i = 0; i < p; i++) {
      b[i] += s.b[i];
      for (let j = 0; j < p; j++) a[i * p + j] += s.a[i * p + j];
    }
    yty += s.yty;
    n += s.n;
  }
  const theta = new Float64Array(p);
  choleskyDropSolveInto(a, p, b, new Float64Array(p * p), new Float64Array(p), theta, new Uint8Array(p));
  const rss = rssOf(a, b, yty, theta, p);
  const w = rss > 0 && n > 0 ? 0.5 * Math.log(rss / n) : 0;
  return { mean: [...theta, w], variance: new Array<number>(p + 1).fill(1) };
}

export interface CellResult {
  prior: GaussianPrior;
  logEvidence: number;
  iterations: number;
  converged: boolean;
}

/** M-step (Huys et al. 2011): mu = mean(phi), v = mean(phi^2 + diag(H^-1)) - mu^2, computed as mean((phi - mu)^2 + diag(H^-1)). */
function mStep(subjects: Subject[], d: number, minVariance: number): GaussianPrior {
  const m = subjects.length;
  const mean = new Array<number>(d).fill(0);
  for (const s of subjects) for (let j = 0; j < d; j++) mean[j] += s.phi[j] / m;
  const variance = new Array<number>(d).fill(0);
  for (const s of subjects) {
    for (let j = 0; j < d; j++) {
      const dv = s.phi[j] - mean[j];
      variance[j] += (dv * dv + s.hinvDiag[j]) / m;
    }
  }
  for (let j = 0; j < d; j++) variance[j] = Math.max(variance[j], minVariance);
  return { mean, variance };
}

/**
 * EM for one (group, session) cell: iterate the EM map F (E-step at the current prior, then the
 * M-step above) to its fixed point F(x) = x, x = (mu, log v).
 *
 * Plain EM converges slowly when the prior is tight (the MAPs then hardly depend on their data, so mu
 * moves little per iteration) and sublinearly when a prior variance heads to 0 (no real
 * between-participant spread, typically of beta: v shrinks like 1/iteration). So at every iteration we
 * propose a Newton-type step on the fixed-point equation G(x) = F(x) - x = 0 and keep it only when it
 * reduces the residual |G| -- first the full proposal, then the one with plain-EM variances; otherwise
 * the plain EM step x <- F(x) is taken. The solution is therefore exactly the EM fixed point.
 *  - mean: exact Newton given v. F_mu(mu) = mean_i phi_i(mu) has Jacobian J = mean_i H_i^{-1} V^{-1}
 *    (implicit-function theorem on grad f = 0), so mu_new = mu + (I - J)^{-1} (F_mu(mu) - mu); when
 *    V -> 0 this is the pooled (fixed-effect) estimate, reached in one step;
 *  - log variances: per-component secant Newton on G_j, with G_j' estimated from the last two iterates
 *    (used only where G_j' < 0; stretch capped at 1e6); in the 1/iteration collapse of plain EM this
 *    divides v by about e per iteration, down to `minVariance`.
 * Convergence: every component of G below `tol` (the mean on its own scale, variances on the log scale).
 */
export function emCell(subjects: Subject[], p: number, opts: Required<Omit<HierarchicalOptions, "groupOf">>): CellResult {
  const d = p + 1;
  const m = subjects.length;
  const logFloor = Math.log(opts.minVariance);
  const eStep = (pr: GaussianPrior): number => {
    let total = 0;
    for (const s of subjects) {
      eStepSubject(s, pr);
      total += s.logEvidence;
    }
    return total;
  };
  const pack = (pr: GaussianPrior): number[] => [...pr.mean, ...pr.variance.map((v) => Math.log(v))];
  const norm = (r: number[]): number => Math.sqrt(r.reduce((acc, v) => acc + v * v, 0));

  let prior = initialPrior(subjects, p);
  // Every subject's phi is a view into one block, so a proposal is saved and undone with one copy.
  const block = new Float64Array(m * d);
  subjects.forEach((s, i) => {
    const view = block.subarray(i * d, (i + 1) * d);
    view.set(s.phi);
    s.phi = view;
  });
  for (const s of subjects) s.phi.set(prior.mean);
  const saved = new Float64Array(m * d);
  let logEv = eStep(prior);
  let em = mStep(subjects, d, opts.minVariance);
  let x = pack(prior);
  let g = pack(em).map((v, j) => v - x[j]);
  let prevX: number[] | null = null;
  let prevG: number[] | null = null;
  let iterations = 0;
  let converged = false;
  /** E-step at a proposal; keep it (and return true) if it reduces the residual. */
  const tryProposal = (proposal: GaussianPrior): boolean => {
    saved.set(block);
    const lp = eStep(proposal);
    const emP = mStep(subjects, d, opts.minVariance);
    const xp = pack(proposal);
    const gp = pack(emP).map((v, j) => v - xp[j]);
    if (Number.isFinite(lp) && gp.every(Number.isFinite) && norm(gp) < norm(g)) {
      prevX = x;
      prevG = g;
      prior = proposal;
      logEv = lp;
      em = emP;
      x = xp;
      g = gp;
      return true;
    }
    block.set(saved);
    return false;
  };
  while (iterations < opts.maxIter) {
    if (Math.max(...g.map(Math.abs)) < opts.tol) {
      converged = true;
      break;
    }
    iterations++;
    const iMinusJ: number[][] = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
    for (const s of subjects) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) iMinusJ[i][j] -= s.hinv[i * d + j] / prior.variance[j] / m;
    const delta = solveGeneral(iMinusJ, g.slice(0, d));
    let accepted = false;
    if (delta) {
      const mean = prior.mean.map((v, j) => v + delta[j]);
      let stretched = false;
      const logVar = x.slice(d).map((lv, j) => {
        let stretch = 1;
        if (prevX && prevG) {
          const dx = lv - prevX[d + j];
          const slope = dx !== 0 ? (g[d + j] - prevG[d + j]) / dx : 0;
          if (slope < 0 && slope > -1) {
            stretch = Math.min(-1 / slope, 1e6);
            stretched = true;
          }
        }
        return Math.max(logFloor, Math.min(lv + stretch * g[d + j], 50));
      });
      if (stretched) accepted = tryProposal({ mean, variance: logVar.map((lv) => Math.exp(lv)) });
      if (!accepted) accepted = tryProposal({ mean, variance: em.variance.slice() });
    }
    if (!accepted) {
      prevX = x;
      prevG = g;
      prior = em;
      logEv = eStep(prior);
      em = mStep(subjects, d, opts.minVariance);
      x = pack(prior);
      g = pack(em).map((v, j) => v - x[j]);
    }
  }
  return { prior, logEvidence: logEv, iterations, converged };
}

