/**
 * What good news is, and what an update is: the one definition that every analysis of the kit calls
 * (Sharot et al. 2011; Garrett & Sharot 2014; positive events as in Garrett & Sharot 2014 and
 * Kuzmanovic et al. 2017).
 *
 *   EE = first_estimate - base_rate
 *   negative event (the default):  good news when base_rate < first_estimate (the risk is lower than feared)
 *                                  bad news  when base_rate > first_estimate
 *   positive event (events.csv):   good news when base_rate > first_estimate (the chance is higher than hoped)
 *                                  bad news  when base_rate < first_estimate
 *   update = |E2 - E1| signed toward the base rate: E1 - E2 when base_rate < first_estimate, E2 - E1
 *            when base_rate > first_estimate (for a negative event: E1 - E2 after good news, E2 - E1
 *            after bad news), so a positive update always moves toward the base rate.
 * A trial with EE = 0 carries no news. "Base rate" is the reference the analysis uses: the shown base
 * rate, or the participant's own estimate of it when the analysis asks for that (Garrett & Sharot 2014).
 */
import type { Valence } from "./types.js";

/** What the base rate tells: 1 good news, 0 bad news, -1 none (EE = 0). The rule every path of the kit calls. */
export function newsCode(firstEstimate: number, baseRate: number, positiveEvent = false): 1 | 0 | -1 {
  if (baseRate < firstEstimate) return positiveEvent ? 0 : 1;
  if (baseRate > firstEstimate) return positiveEvent ? 1 : 0;
  return -1;
}

/** Good or bad news (null when the base rate equals the first estimate). */
export function valenceOf(firstEstimate: number, baseRate: number, positiveEvent = false): Valence | null {
  const code = newsCode(firstEstimate, baseRate, positiveEvent);
  return code === 1 ? "good" : code === 0 ? "bad" : null;
}

/** The update toward the base rate: E1 - E2 when the base rate is below the first estimate, E2 - E1 above it. */
export function updateOf(firstEstimate: number, baseRate: number, secondEstimate: number): number {
  return baseRate < firstEstimate ? firstEstimate - secondEstimate : secondEstimate - firstEstimate;
}
