/** The fitted line of the mediation scatter, with its confidence band (for the charts). */
import { tQuantile } from "../stats/distributions.js";
import type { LineModel } from "./types.js";

export interface LinePoint {
  x: number;
  fit: number;
  /** Confidence band for the mean of ΔY at this ΔM (z = 0); null if n = 3. */
  lo: number | null;
  hi: number | null;
}

export interface LineOptions {
  /** Grid start and end (default: observed range of ΔM). */
  from?: number;
  to?: number;
  /** Number of grid points (default 50, at least 2). */
  points?: number;
  level?: number;
}

/**
 * Fitted line of ΔY on ΔM at centred M̄ = 0, ŷ(x) = c′ + b x, with a pointwise confidence band
 * ŷ ± t_{n−3, (1+level)/2} · √( s²/n + (x − x̄)² Var(b) ) (OLS mean-response interval; the
 * covariance of ȳ and b is 0 because x and z are centred).
 */
export function mediationLine(model: LineModel, options: LineOptions = {}): LinePoint[] {
  const from = options.from ?? model.x_min;
  const to = options.to ?? model.x_max;
  const points = Math.max(2, Math.floor(options.points ?? 50));
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`mediationLine: level must be in (0, 1), got ${level}`);
  const q = model.df > 0 ? tQuantile((1 + level) / 2, model.df) : null;
  const out: LinePoint[] = [];
  for (let k = 0; k < points; k++) {
    const x = from + ((to - from) * k) / (points - 1);
    const fit = model.intercept + model.slope * x;
    let lo: number | null = null;
    let hi: number | null = null;
    if (q !== null && model.var_mean_y !== null && model.var_slope !== null) {
      const dx = x - model.x_mean;
      const half = q * Math.sqrt(model.var_mean_y + dx * dx * model.var_slope);
      lo = fit - half;
      hi = fit + half;
    }
    out.push({ x, fit, lo, hi });
  }
  return out;
}

