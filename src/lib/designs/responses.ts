/** Responders, n and rate per arm, and the 2x2 arm-by-response matrix of a clinical trial. */


export interface ResponseRow {
  arm: string;
  /** null / undefined = outcome missing (not counted). */
  responder: boolean | null | undefined;
}

export interface ResponseRate {
  arm: string;
  responders: number;
  /** Participants of the arm with a known outcome. */
  n: number;
  /** responders / n, null when n = 0. */
  rate: number | null;
  /** Participants of the arm with a missing outcome (not in n). */
  missing: number;
}

/**
 * Responders, n and response rate of two arms, in the order given. Rows of other arms are ignored;
 * rows with a missing outcome are counted in `missing` only.
 */
export function responseTable(rows: readonly ResponseRow[], arms: readonly [string, string]): ResponseRate[] {
  if (arms[0] === arms[1]) throw new RangeError(`responseTable: the two arms must differ (got "${arms[0]}" twice)`);
  return arms.map((arm) => {
    let responders = 0;
    let n = 0;
    let missing = 0;
    for (const r of rows) {
      if (r.arm !== arm) continue;
      if (typeof r.responder !== "boolean") missing++;
      else {
        n++;
        if (r.responder) responders++;
      }
    }
    return { arm, responders, n, rate: n > 0 ? responders / n : null, missing };
  });
}

/**
 * The 2x2 table [[responders_1, non-responders_1], [responders_2, non-responders_2]] of a
 * `responseTable` result, ready for `fisherExact` (odds ratio = odds of response, arm 1 vs arm 2).
 */
export function responseMatrix(rates: readonly ResponseRate[]): [[number, number], [number, number]] {
  if (rates.length !== 2) throw new RangeError(`responseMatrix: need exactly two arms, got ${rates.length}`);
  const [r1, r2] = rates;
  return [
    [r1.responders, r1.n - r1.responders],
    [r2.responders, r2.n - r2.responders],
  ];
}
