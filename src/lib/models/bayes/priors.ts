/**
 * Priors of the Bayesian belief-update models: the two presets and validation of user-set priors.
 *
 * `greaves` (replication of mdgreaves/belief-updating-model, upd_invert.m): every log-scale parameter
 * N(log(1/128), 1/4), noise precision Gamma(1, 1). On percentage-point data this is a prior on a learning rate
 * near 0.008 (+- a factor 2.7 at 2 SD) and a noise SD near 1 point; on this task's data the posterior barely leaves it
 * (see docs/bayesian-models.md). For signed-asymmetry, whose b is not on a log scale and which Greaves did not
 * define, the preset centres b at 0 with his variance 1/4.
 *
 * `kit` (the kit's defaults): weakly informative on this task's scale, justified by the prior predictive check
 * in docs/bayesian-models.md:
 *   exp(a): median learning rate 0.3 (ee-scaled: 0.1 per 5 points of |EE|), log-SD 1;
 *   exp(b): median half-asymmetry 0.05, log-SD 1; signed b: N(0, 0.25^2);
 *   noise precision Gamma(1, 25): median noise SD 6 points, 95 % between 2.6 and 33 points.
 * The values live with each model in the registry (models.ts, `presets`).
 */
import type { BayesModelName, BayesPrior, PriorPreset } from "./types.js";
import { getBayesModel } from "./models.js";
import { cholesky, choleskyPivot } from "../../stats/linalg.js";

export const PRIOR_PRESETS: readonly PriorPreset[] = ["kit", "greaves"];

const copy = (p: BayesPrior): BayesPrior => ({
  mean: [...p.mean],
  covariance: p.covariance.map((r) => [...r]),
  precision_shape: p.precision_shape,
  precision_rate: p.precision_rate,
});

/** A preset prior of a model (a fresh copy). */
export function presetPrior(model: BayesModelName | string, preset: PriorPreset | string = "kit"): BayesPrior {
  const m = getBayesModel(model);
  if (preset === "kit" || preset === "greaves") return copy(m.presets[preset]);
  throw new Error(`unknown prior preset "${preset}": expected one of ${PRIOR_PRESETS.join(", ")}`);
}

/**
 * Check a prior against a model; throws an Error naming what is wrong (wrong length, non-finite entry,
 * asymmetric or non-positive-definite covariance, non-positive shape or rate). Returns the prior.
 */
export function validatePrior(model: BayesModelName | string, prior: BayesPrior): BayesPrior {
  const m = getBayesModel(model);
  const p = m.paramNames.length;
  const names = m.paramNames.join(", ");
  const where = `prior for model "${m.name}" (parameters ${names})`;
  if (prior === null || typeof prior !== "object") throw new Error(`${where}: expected an object {mean, covariance, precision_shape, precision_rate}`);
  const { mean, covariance, precision_shape, precision_rate } = prior;
  if (!Array.isArray(mean)) throw new Error(`${where}: mean must be an array of ${p} numbers`);
  if (mean.length !== p) throw new Error(`${where}: mean has ${mean.length} entries, expected ${p}`);
  mean.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${where}: mean[${i}] (${m.paramNames[i]}) must be a finite number, got ${String(v)}`);
  });
  if (!Array.isArray(covariance)) throw new Error(`${where}: covariance must be a ${p} x ${p} array of arrays`);
  if (covariance.length !== p) throw new Error(`${where}: covariance has ${covariance.length} rows, expected ${p}`);
  covariance.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== p)
      throw new Error(`${where}: covariance row ${i} has ${Array.isArray(row) ? row.length : "no"} entries, expected ${p}`);
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${where}: covariance[${i}][${j}] must be a finite number, got ${String(v)}`);
    });
  });
  for (let i = 0; i < p; i++)
    for (let j = i + 1; j < p; j++) {
      const a = covariance[i][j];
      const b = covariance[j][i];
      if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a), Math.abs(b)))
        throw new Error(`${where}: covariance is not symmetric: [${i}][${j}] = ${a} but [${j}][${i}] = ${b}`);
    }
  const flat = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) flat[i * p + j] = covariance[i][j];
  const L = new Float64Array(p * p);
  const failed = cholesky(flat, p, L);
  if (failed !== 0) {
    const d = choleskyPivot(flat, p, failed, L);
    throw new Error(
      `${where}: covariance is not positive definite (Cholesky pivot ${failed} for ${m.paramNames[failed - 1]} is ${d}); every variance must be > 0 and every correlation strictly between -1 and 1`,
    );
  }
  const positive = (v: unknown, name: string) => {
    if (typeof v !== "number" || !Number.isFinite(v) || !(v > 0)) throw new Error(`${where}: ${name} must be a finite number > 0, got ${String(v)}`);
  };
  positive(precision_shape, "precision_shape");
  positive(precision_rate, "precision_rate");
  return prior;
}

/** A preset name or a user prior, validated against the model. */
export function resolvePrior(model: BayesModelName | string, prior: BayesPrior | PriorPreset | string = "kit"): BayesPrior {
  if (typeof prior === "string") return presetPrior(model, prior);
  return validatePrior(model, prior);
}
