/** Types of the within-participant mediation: the input rows, the estimates, the bootstrap and the sensitivity curve. */

export interface MediationRow {
  participant_id: string;
  /** Mediator (learning-rate asymmetry) at the earlier session. */
  m_from: number | null;
  /** Mediator at the later session. */
  m_to: number | null;
  /** Outcome (clinical score) at the earlier session. */
  y_from: number | null;
  /** Outcome at the later session. */
  y_to: number | null;
}

export interface Exclusion {
  participant_id: string;
  reason: string;
}

export interface PathEstimate {
  estimate: number;
  se: number | null;
  t: number | null;
  df: number;
  p: number | null;
}

/** What `mediationLine` needs: ŷ(x) = c′ + b x at z = 0, Var ŷ(x) = var_mean_y + (x − x_mean)² var_slope. */
export interface LineModel {
  intercept: number;
  slope: number;
  /** mean ΔM (the fitted line passes through (x_mean, mean ΔY)). */
  x_mean: number;
  y_mean: number;
  /** s²/n: variance of the fitted value at x = x_mean, z = 0. */
  var_mean_y: number | null;
  /** s² [ (X′X)⁻¹ ]_bb: variance of b in the 3-parameter model. */
  var_slope: number | null;
  df: number;
  x_min: number;
  x_max: number;
}

export interface MediationPoint {
  n: number;
  a: number;
  b: number;
  c: number;
  c_prime: number;
  indirect: number;
  sobel_se: number | null;
  sobel_z: number | null;
  sobel_p: number | null;
  paths: {
    a: PathEstimate;
    b: PathEstimate;
    c: PathEstimate;
    c_prime: PathEstimate;
    /** Coefficient d of the centred M̄ in the outcome regression. */
    m_mean: PathEstimate;
  };
  /** Residual SD √(SSE/(n−3)) of ΔY ~ ΔM + z; null if n = 3. */
  residual_sd: number | null;
  /** R² of ΔY ~ ΔM + z (null if ΔY is constant). */
  r_squared: number | null;
  line_model: LineModel;
  excluded: Exclusion[];
}

export interface MediationBoot {
  resamples: number;
  seed: number;
  level: number;
  /** Number of resamples where a·b was defined (non-singular regression). */
  valid: number;
  /** SD of the finite replicates. */
  se: number | null;
  percentile: [number, number] | null;
  bca: [number, number] | null;
  bca_label: "BCa (Efron, jackknife acceleration)";
  bca_z0: number | null;
  bca_acceleration: number | null;
  /** a·b per resample (NaN where undefined). Typed array: leave it out of JSON. */
  replicates: Float64Array;
}

export interface SensitivityPoint {
  rho: number;
  indirect: number;
}

export interface MediationSensitivity {
  /** a = mean ΔM (β2 of the mediator equation). */
  a: number;
  /** ρ̃ = corr(ε1, ε2): residual correlation of ΔY ~ z and ΔM ~ z; the indirect effect is 0 at ρ = ρ̃. */
  rho_tilde: number | null;
  /** ρ at which the indirect effect is zero (= ρ̃); null if a = 0 (zero for every ρ) or undefined. */
  rho_zero: number | null;
  /** √(SSE1/SSE2), the ratio σ1/σ2 used in the formula. */
  sigma_ratio: number | null;
  curve: SensitivityPoint[];
}

export interface MediationResult extends MediationPoint {
  boot: MediationBoot;
  sensitivity: MediationSensitivity;
}

export interface MediationOptions {
  resamples?: number;
  seed?: number;
  level?: number;
  onProgress?: (done: number, total: number) => void;
  /** Grid for the sensitivity curve (defaults −0.9, 0.9, 0.01). */
  sensitivity?: SensitivityOptions;
}

export interface SensitivityOptions {
  from?: number;
  to?: number;
  step?: number;
}

/** Per-participant arrays of the complete cases. */
export interface MediationData {
  ids: string[];
  dm: Float64Array;
  dy: Float64Array;
  /** M̄ = (m_from + m_to)/2, not centred. */
  mbar: Float64Array;
  excluded: Exclusion[];
}

