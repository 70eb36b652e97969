/**
 * Timing of the variational Laplace engine, for `npm run bench`: invert every model for many participant-sessions
 * (simulated with the study's design, or given) and report wall-clock milliseconds (performance.now()).
 */
import { randomInt, randomLcg, randomNormal } from "d3-random";
import type { BayesModelName, BayesPrior, PriorPreset, SessionInput } from "./types.js";
import { BAYES_MODELS } from "./models.js";
import { invertSessions } from "./vl.js";

/**
 * Simulated participant-sessions like the bundled study's: integer E1, BR in 5..95 (E1 != BR), negative events
 * (N = +1 when BR < E1), E2 = E1 + alpha_v (BR - E1) + N(0, 6^2) with alpha_good ~ N(0.5, 0.15^2),
 * alpha_bad ~ N(0.35, 0.15^2) per session.
 */
export function simulateBenchSessions(count: number, trials = 40, seed = 1): SessionInput[] {
  const source = randomLcg(seed);
  const normal = randomNormal.source(source)(0, 1);
  const pct = randomInt.source(source)(5, 96);
  const out: SessionInput[] = [];
  for (let s = 0; s < count; s++) {
    const ag = 0.5 + 0.15 * normal();
    const ab = 0.35 + 0.15 * normal();
    const e1 = new Float64Array(trials);
    const br = new Float64Array(trials);
    const e2 = new Float64Array(trials);
    const n = new Float64Array(trials);
    for (let t = 0; t < trials; t++) {
      const a = pct();
      let b = pct();
      while (b === a) b = pct();
      e1[t] = a;
      br[t] = b;
      n[t] = b < a ? 1 : -1;
      e2[t] = a + (n[t] === 1 ? ag : ab) * (b - a) + 6 * normal();
    }
    out.push({ e1, br, e2, n });
  }
  return out;
}

export interface BayesBenchOptions {
  /** Participant-sessions to simulate (default 10,000) unless `input` is given. */
  sessions?: number;
  trials?: number;
  seed?: number;
  /** Sessions to invert instead of simulated ones (e.g. the bundled study's). */
  input?: readonly SessionInput[];
  models?: readonly BayesModelName[];
  prior?: BayesPrior | PriorPreset;
}

export interface BayesBenchResult {
  sessions: number;
  trials: number | null;
  models: { model: BayesModelName; ms: number; us_per_session: number; mean_iterations: number }[];
  total_ms: number;
}

/** Invert each model for every session and time it (one warm-up inversion per model first). */
export function benchBayes(options: BayesBenchOptions = {}): BayesBenchResult {
  const input = options.input ?? simulateBenchSessions(options.sessions ?? 10000, options.trials ?? 40, options.seed ?? 1);
  const models = options.models ?? BAYES_MODELS;
  const prior = options.prior ?? "kit";
  const rows: BayesBenchResult["models"] = [];
  let total = 0;
  for (const model of models) {
    invertSessions(input.slice(0, 1), model, prior);
    const t0 = performance.now();
    const fits = invertSessions(input, model, prior);
    const ms = performance.now() - t0;
    total += ms;
    rows.push({
      model,
      ms,
      us_per_session: (1000 * ms) / Math.max(1, input.length),
      mean_iterations: fits.reduce((s, f) => s + f.iterations, 0) / Math.max(1, fits.length),
    });
  }
  return { sessions: input.length, trials: options.input ? null : (options.trials ?? 40), models: rows, total_ms: total };
}
