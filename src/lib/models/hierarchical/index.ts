/**
 * Hierarchical (empirical-Bayes) fitting of the learning-rate models, after the EM procedure of
 * Huys et al. (2011), "Disentangling the roles of approach, activation and valence in instrumental
 * and Pavlovian responding", PLoS Comput Biol 7:e1002028 (Methods, "Model fitting procedure"; the
 * `emfit` code), which is the EM of MacKay (2003) / Dempster et al. (1977) with a Laplace
 * approximation.
 *
 * Per participant-session i the transformed parameter vector is
 *   phi_i = (theta_i, omega_i),  theta = the model's regression coefficients on their natural,
 *   unbounded scale (alpha_good, alpha_bad, s, k, beta, ... -- no logit: the learning rates of this
 *   task are not confined to [0, 1], see models/scaling-asymmetry.ts), omega = log sigma.
 * Group prior, separately for every (group, session) cell:  phi_i ~ N(mu, diag(v)).
 *
 * E-step (per participant-session, with the current prior): MAP of
 *   f(phi) = -log p(y | phi) - log N(phi; mu, v)
 *          = n omega + R(theta) e^{-2 omega} / 2 + sum_j (phi_j - mu_j)^2 / (2 v_j) + const,
 *   R(theta) = y'y - 2 theta'X'y + theta'X'X theta   (residual sum of squares; sufficient statistics
 *   only, see models/stats.ts -- no trial loop), by Newton's method with backtracking:
 *     grad_theta = (X'X theta - X'y) e^{-2w} + (theta - mu_theta)/v_theta
 *     grad_w     = n - R e^{-2w} + (w - mu_w)/v_w
 *     H_tt = X'X e^{-2w} + diag(1/v_theta),  H_tw = -2 (X'X theta - X'y) e^{-2w},  H_ww = 2 R e^{-2w} + 1/v_w
 *   (block-coordinate steps -- closed-form theta given w, 1-D Newton in w, which is convex -- when H is
 *   not positive definite). Warm-started from the previous iteration, so a few steps per subject.
 * M-step (Huys et al. 2011):  mu = mean_i phi_i,   v = mean_i (phi_i^2 + diag(H_i^{-1})) - mu^2,
 *   with v floored at `minVariance` (default 1e-4, i.e. a prior SD of at least 0.01 in learning-rate
 *   units or 1% of sigma: below that a parameter is in effect a fixed group effect, and plain EM would
 *   creep toward v = 0 sublinearly). The EM iteration is accelerated (Newton steps on its fixed point,
 *   see emCell) without changing its fixed point.
 * Laplace approximation of the evidence of participant-session i (MacKay 2003, ch. 27):
 *   log p(y_i | mu, v) ~= log p(y_i | phi_i) + log N(phi_i; mu, v) + (d/2) log(2 pi) - (1/2) log det H_i
 *   (exact in theta given omega, since the model is Gaussian and linear in theta).
 * Integrated BIC (Huys et al. 2011): iBIC = -2 sum_i log p(y_i | mu, v) + k_group ln(N_trials),
 *   k_group = 2 d per (group, session) cell (a mean and a variance per parameter), the evidence by the
 *   Laplace approximation above (not by sampling).
 * Participant-sessions the model fits exactly (flat sigma = 0, e.g. a participant who never changes an
 * estimate) have a likelihood unbounded as sigma -> 0; they are left out of the M-step (they would
 * inflate the log-sigma prior without limit), get their MAP under the fitted prior, and still count in
 * the log evidence and iBIC, so that every model is scored on the same data.
 * Reported per fit: the MAP coefficients (null for a coefficient whose design column has no data, which
 * would be pure prior), sigma = exp(MAP log sigma), loglik at the MAP, AIC/BIC computed from that loglik
 * for reference only (compare hierarchical fits by iBIC), and log_evidence.
 * Cost: no trial loops, and an E-step that allocates nothing (typed arrays and module scratch), about
 * 2 us per participant-session; it runs once or twice per EM iteration. So a fit costs
 * (participant-sessions) x (EM iterations) x 2-4 us: on the bundled study (138 participant-sessions,
 * 5 cells) 3-9 ms per model, at 10,000 participants (24,643 participant-sessions) 0.4-0.9 s, and
 * 2-3 s for ee-weighted, whose EM needs more iterations with many participants (11-18 per cell on
 * the bundled study, up to 41-60 in one cell with 1,000-10,000 participants: its prior variance of
 * beta collapses to the floor). Before, every Newton step and line-search candidate of the E-step
 * allocated arrays: 15-40 us per participant-session and E-step, hence 2.4-12 s per model at 10,000
 * participants; the EM itself (iterations, acceleration, tolerance) is unchanged.
 */
import type { ModelFit, LsModelName, ModelSpec, SufficientStats } from "../types.js";
import { getModel } from "../registry.js";
import { assembleFit, fitFromStats } from "../fit.js";
import { groupResolver } from "../groups.js";
import type { GaussianPrior, GroupPrior, HierarchicalOptions, HierarchicalResult } from "./types.js";
import { eStepSubject, makeSubject, type Subject } from "./subject.js";
import { emCell, initialPrior, type CellResult } from "./em.js";

export type { GaussianPrior, GroupPrior, HierarchicalOptions, HierarchicalResult } from "./types.js";

/**
 * MAP fit of one participant-session under a FIXED Gaussian prior on (coefficients..., log sigma).
 * Exposed for testing and for callers who bring their own prior.
 */
export function mapFitFromStats(
  model: LsModelName | ModelSpec,
  stats: SufficientStats,
  prior: GaussianPrior,
): { fit: ModelFit; phi: number[]; hessianInverseDiag: number[]; logEvidence: number } {
  const spec = typeof model === "string" ? getModel(model) : model;
  const s = makeSubject(spec, stats, prior.mean);
  if (s.n === 0) throw new Error(`mapFitFromStats: ${stats.participant_id}/${stats.session} has no trials`);
  eStepSubject(s, prior);
  return { fit: subjectFit(spec, s, undefined), phi: Array.from(s.phi), hessianInverseDiag: Array.from(s.hinvDiag), logEvidence: s.logEvidence };
}

function subjectFit(spec: ModelSpec, s: Subject, group: string | undefined): ModelFit {
  const p = spec.coefNames.length;
  // A coefficient whose design column carries no data (e.g. a valence without trials) is pure prior: report null.
  const theta = Array.from(s.phi.subarray(0, p), (v, j) => (s.a[j * p + j] > 0 ? v : null));
  const warnings: string[] = [];
  const k = theta.filter((v) => v !== null).length + 1;
  const fit = assembleFit(spec, s.stats, theta, { sigma: Math.exp(s.phi[p]), loglik: s.loglik, k, method: "map", warnings });
  fit.log_evidence = Number.isFinite(s.logEvidence) ? s.logEvidence : null;
  if (group !== undefined) fit.group = group;
  return fit;
}

/** Hierarchical fit from sufficient statistics (the fast path). */
export function fitHierarchicalFromStats(
  stats: readonly SufficientStats[],
  model: LsModelName | ModelSpec = "valence",
  options: HierarchicalOptions = {},
): HierarchicalResult {
  const spec = typeof model === "string" ? getModel(model) : model;
  const opts = { maxIter: options.maxIter ?? 1000, tol: options.tol ?? 1e-6, minVariance: options.minVariance ?? 1e-4 };
  const warnings: string[] = [];
  const groupOf = groupResolver(options.groupOf, warnings);
  const p = spec.coefNames.length;
  const d = p + 1;
  const names = [...spec.coefNames, "log_sigma"];

  const cells = new Map<string, { group: string; session: string; subjects: Subject[]; exact: Subject[] }>();
  const order: { cell: string; subject: Subject }[] = [];
  for (const st of stats) {
    if (st.good.n + st.bad.n === 0) {
      warnings.push(`${st.participant_id}/${st.session}: no scored trials, left out of the hierarchical fit`);
      continue;
    }
    const group = groupOf(st.participant_id);
    const key = `${group}\u0000${st.session}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { group, session: st.session, subjects: [], exact: [] }));
    const subject = makeSubject(spec, st, new Float64Array(d));
    // A participant-session the model fits exactly (flat sigma = 0: never updates, or no more trials than
    // coefficients) has a likelihood unbounded in sigma; in the EM it would drag the log-sigma prior variance
    // without limit. It is therefore left out of the M-step; its MAP is computed under the fitted prior and
    // its evidence still counts in the log evidence and iBIC (so every model is scored on the same data).
    if (fitFromStats(spec, st).sigma === null) {
      c.exact.push(subject);
      warnings.push(
        `${st.participant_id}/${st.session} ${spec.name}: the model fits these trials exactly (sigma = 0); not used to estimate the group prior, MAP under the fitted prior`,
      );
    } else c.subjects.push(subject);
    order.push({ cell: key, subject });
  }

  const priors: GroupPrior[] = [];
  let totalLogEv = 0;
  let totalTrials = 0;
  for (const c of cells.values()) {
    let res: CellResult;
    if (c.subjects.length > 0) res = emCell(c.subjects, p, opts);
    else {
      // Nothing to estimate a prior from: the pooled start (unit variances) is used as is.
      const prior = initialPrior(c.exact, p);
      res = { prior, logEvidence: 0, iterations: 0, converged: false };
      warnings.push(`${spec.name}: group ${c.group}, session ${c.session} has no participant-session with sigma > 0: the prior is not estimated (pooled fit, unit variances)`);
    }
    for (const s of c.exact) {
      s.phi.set(res.prior.mean);
      eStepSubject(s, res.prior);
      res.logEvidence += s.logEvidence;
    }
    const all = [...c.subjects, ...c.exact];
    const nTrials = all.reduce((acc, s) => acc + s.n, 0);
    const kGroup = 2 * d;
    if (c.subjects.length < 3) {
      warnings.push(`${spec.name}: group ${c.group}, session ${c.session} has ${c.subjects.length} participant-session(s) to estimate its prior from: the prior is poorly determined`);
    }
    if (!res.converged && c.subjects.length > 0) warnings.push(`${spec.name}: EM did not converge in ${opts.maxIter} iterations for group ${c.group}, session ${c.session}`);
    const finite = Number.isFinite(res.logEvidence);
    if (!finite) warnings.push(`${spec.name}: group ${c.group}, session ${c.session}: the log evidence is not finite; iBIC is null`);
    priors.push({
      model: spec.name,
      group: c.group,
      session: c.session,
      n_fits: all.length,
      n_prior: c.subjects.length,
      n_trials: nTrials,
      params: names,
      mean: Object.fromEntries(names.map((nm, j) => [nm, res.prior.mean[j]])),
      variance: Object.fromEntries(names.map((nm, j) => [nm, res.prior.variance[j]])),
      log_evidence: finite ? res.logEvidence : null,
      ibic: finite ? -2 * res.logEvidence + kGroup * Math.log(nTrials) : null,
      k_group: kGroup,
      iterations: res.iterations,
      converged: res.converged,
    });
    totalLogEv += res.logEvidence;
    totalTrials += nTrials;
  }
  const fits = order.map(({ cell, subject }) => subjectFit(spec, subject, cells.get(cell)!.group));
  for (const f of fits) for (const w of f.warnings) warnings.push(`${f.participant_id}/${f.session} ${spec.name}: ${w}`);
  const kTotal = 2 * d * cells.size;
  const ok = cells.size > 0 && Number.isFinite(totalLogEv);
  return {
    model: spec.name,
    fits,
    priors,
    log_evidence: ok ? totalLogEv : null,
    ibic: ok ? -2 * totalLogEv + kTotal * Math.log(totalTrials) : null,
    k_group: kTotal,
    n_trials: totalTrials,
    warnings,
  };
}
