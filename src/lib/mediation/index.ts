/**
 * Two-condition within-participant mediation (Judd, Kenny & McClelland 2001, Psychological
 * Methods 6(2):115–134), in the regression formulation of Montoya & Hayes (2017), "Two-condition
 * within-participant statistical mediation analysis: A path-analytic framework",
 * Psychological Methods 22(1):6–27.
 *
 * Per participant i (n complete participants), with "from" the earlier and "to" the later session:
 *   ΔM_i = m_to − m_from,  ΔY_i = y_to − y_from,  M̄_i = (m_from + m_to) / 2,  z_i = M̄_i − mean(M̄).
 *   a  = mean(ΔM)                         SE_a = sd(ΔM)/√n, df n − 1  (one-sample t on ΔM)
 *   c  = mean(ΔY)                         SE_c = sd(ΔY)/√n, df n − 1  (one-sample t on ΔY)
 *   ΔY_i = c′ + b ΔM_i + d z_i + e_i       OLS, df n − 3
 *   indirect = a·b;  c = c′ + a·b holds exactly in the sample (z is centred).
 *   Sobel (first-order) SE = √(a² SE_b² + b² SE_a²), z = a·b / SE, p two-sided normal
 *   (Sobel 1982, Sociological Methodology 13:290–312).
 *
 * Bootstrap (M&H recommend it over Sobel): participants are resampled with replacement and a·b
 * recomputed. b does not depend on where z is centred (the model has an intercept), so resamples
 * need no re-centring. Each resample's OLS slope comes from accumulated sums in closed form
 * (see `indirectFromSums`), without per-resample allocation.
 *
 * BCa here is Efron's (1987) with jackknife acceleration (see bootstrap.ts). NOTE: R's
 * `mediation` package (mediate(boot.ci.type = "bca"), internal BC.CI) computes its "BCa"
 * differently: z0 from the share of replicates below the *mean of the replicates* (not below the
 * estimate), and the "acceleration" from the bootstrap replicates themselves,
 * U = (B − 1)(mean θ* − θ*_b), instead of delete-one jackknife values. Its intervals therefore
 * will not match these. `boot::boot.ci(type = "bca", L = empinf(type = "jack"))` is closer but not
 * identical either: its jackknife influence values are centred at θ̂ instead of the jackknife mean,
 * ties are not split, and endpoints are interpolated differently (see bootstrap.ts).
 *
 * All numbers in results are finite or null (JSON-serialisable, no NaN), except the typed array
 * `boot.replicates` (NaN for singular resamples; leave it out of JSON, see
 * `mediationResultForJson`). The result holds no
 * functions, so it can also be posted from a Web Worker (structured clone). The fitted line is
 * therefore computed by the separate function `mediationLine(result.line_model, ...)`.
 */
import { bcaParametersSorted, finiteSummary, percentileIntervalSorted, sortedFinite } from "../stats/bootstrap.js";
import { prepareMediationData } from "./data.js";
import { centre, pointFromData } from "./estimate.js";
import { bootstrapIndirect, jackknifeIndirect } from "./resample.js";
import { mediationSensitivity } from "./sensitivity.js";
import type { MediationBoot, MediationOptions, MediationResult, MediationRow } from "./types.js";

export type * from "./types.js";
export { mediationPoints, prepareMediationData } from "./data.js";
export { mediationPointEstimate } from "./estimate.js";
export { lcgStartState } from "./resample.js";
export { mediationSensitivity, sensitivityIndirectAt } from "./sensitivity.js";
export { mediationLine, type LineOptions, type LinePoint } from "./line.js";

/**
 * Full analysis: point estimates, Sobel test, participant bootstrap of a·b (percentile and BCa),
 * and the sensitivity curve.
 */
export function withinSubjectMediation(rows: readonly MediationRow[], options: MediationOptions = {}): MediationResult {
  const resamples = options.resamples ?? 5000;
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`Within-subject mediation: level must be in (0, 1), got ${level}`);
  const data = prepareMediationData(rows);
  const c = centre(data);
  const point = pointFromData(data, c);
  const replicates = bootstrapIndirect(c, resamples, seed, options.onProgress);
  const summary = finiteSummary(replicates);
  const sorted = sortedFinite(replicates);
  const jack = jackknifeIndirect(c);
  const bca = bcaParametersSorted(sorted, point.indirect, jack, level);
  return {
    ...point,
    boot: {
      resamples,
      seed,
      level,
      valid: summary.valid,
      se: summary.sd,
      percentile: percentileIntervalSorted(sorted, level),
      bca: bca.interval,
      bca_label: "BCa (Efron, jackknife acceleration)",
      bca_z0: bca.z0,
      bca_acceleration: bca.acceleration,
      replicates,
    },
    sensitivity: mediationSensitivity(data, options.sensitivity),
  };
}

/** The result without the replicates array, ready for JSON.stringify. */
export function mediationResultForJson(result: MediationResult): Omit<MediationResult, "boot"> & {
  boot: Omit<MediationBoot, "replicates">;
} {
  const { replicates: _replicates, ...boot } = result.boot;
  return { ...result, boot };
}
