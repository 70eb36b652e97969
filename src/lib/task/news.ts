/**
 * What good news is, and what an update is: the one definition that every analysis of the kit calls
 * (Sharot et al. 2011; Garrett & Sharot 2014).
 *
 *   EE     = first_estimate - base_rate
 *   good news: base_rate < first_estimate  (the risk is lower than feared)
 *   bad news:  base_rate > first_estimate
 *   update = first_estimate - second_estimate  (good news)
 *          = second_estimate - first_estimate  (bad news)
 * so a positive update always moves toward the base rate. A trial with EE = 0 carries no news.
 */
import type { Valence } from "./types.js";

/** What the base rate tells: 1 good news, 0 bad news, -1 none (EE = 0). The rule every path of the kit calls. */
export function newsCode(firstEstimate: number, baseRate: number): 1 | 0 | -1 {
  if (baseRate < firstEstimate) return 1;
  if (baseRate > firstEstimate) return 0;
  return -1;
}

/** Good or bad news (null when the base rate equals the first estimate). */
export function valenceOf(firstEstimate: number, baseRate: number): Valence | null {
  const code = newsCode(firstEstimate, baseRate);
  return code === 1 ? "good" : code === 0 ? "bad" : null;
}

/** The update toward the base rate, from the news code (1 good, 0 bad). */
export function updateOfCode(good: number, firstEstimate: number, secondEstimate: number): number {
  return good === 1 ? firstEstimate - secondEstimate : secondEstimate - firstEstimate;
}

/** The update toward the base rate: E1 - E2 after good news, E2 - E1 after bad news. */
export function updateOf(valence: Valence, firstEstimate: number, secondEstimate: number): number {
  return updateOfCode(valence === "good" ? 1 : 0, firstEstimate, secondEstimate);
}

