/**
 * The exact McNemar test for paired binary outcomes (crossover designs), with the conditional odds
 * ratio b/c and its exact interval.
 *
 *  - McNemar Q (1947). Note on the sampling error of the difference between correlated proportions
 *    or percentages. Psychometrika 12:153-157.
 *  - Agresti A (2013). Categorical Data Analysis, 3rd ed. Wiley. Sec. 11.1.
 */
import { binomialCdf, checkConfLevel, checkCount, clopperPearson, type ConfOptions } from "./binomial.js";

/**
 * Paired 2x2 table of a crossover / within-person comparison:
 *   both    = responder under A and under B
 *   onlyA   = responder under A only   (discordant, "b")
 *   onlyB   = responder under B only   (discordant, "c")
 *   neither = responder under neither
 */
export interface PairedTable {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
}

export interface McNemarResult {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
  /** Complete pairs used. */
  n_pairs: number;
  /** Pairs dropped because one of the two outcomes was missing (array input only). */
  n_incomplete: number;
  /** b = onlyA, c = onlyB. */
  b: number;
  c: number;
  n_discordant: number;
  /** Response rates under A and B (null when there are no pairs). */
  rate_a: number | null;
  rate_b: number | null;
  /** Exact two-sided p: min(1, 2 P(X <= min(b, c))), X ~ Bin(b + c, 1/2); 1 when b + c = 0. */
  p: number;
  /** Conditional (matched-pairs) odds ratio b / c: Infinity when c = 0 < b, null when b + c = 0. */
  odds_ratio: number | null;
  /** Exact CI for b / c, from the Clopper-Pearson interval for b / (b + c); null when b + c = 0. */
  ci: [number, number] | null;
  conf_level: number;
}

/**
 * Exact McNemar test (McNemar 1947; Agresti 2013, sec. 11.1.4). Under H0 (marginal homogeneity)
 * the b discordant pairs "A only" out of the b + c discordant pairs are Bin(b + c, 1/2), so the
 * two-sided p-value is p = min(1, 2 P(X <= min(b, c))), identical to `binom.test(b, b + c)$p.value`
 * and `exact2x2::mcnemar.exact`. The conditional odds ratio of the matched-pairs logit model is
 * b / c (Agresti 2013, sec. 11.2.3); its exact interval maps the Clopper-Pearson interval
 * [pL, pU] for pi = b / (b + c) through pi / (1 - pi).
 */
export function mcnemarExact(table: PairedTable, options?: ConfOptions): McNemarResult;
export function mcnemarExact(
  a: readonly (boolean | null | undefined)[],
  b: readonly (boolean | null | undefined)[],
  options?: ConfOptions,
): McNemarResult;
export function mcnemarExact(
  first: PairedTable | readonly (boolean | null | undefined)[],
  second?: readonly (boolean | null | undefined)[] | ConfOptions,
  third?: ConfOptions,
): McNemarResult {
  let table: PairedTable;
  let incomplete = 0;
  let options: ConfOptions | undefined;
  if (Array.isArray(first)) {
    if (!Array.isArray(second)) throw new TypeError("mcnemarExact: give two boolean arrays or one paired table");
    const a = first as readonly (boolean | null | undefined)[];
    const bArr = second as readonly (boolean | null | undefined)[];
    table = pairedTable(a, bArr);
    incomplete = a.length - (table.both + table.onlyA + table.onlyB + table.neither);
    options = third;
  } else {
    table = first as PairedTable;
    options = second as ConfOptions | undefined;
  }
  const confLevel = options?.confLevel ?? 0.95;
  checkConfLevel(confLevel);
  const { both, onlyA, onlyB, neither } = table;
  checkCount(both, "both");
  checkCount(onlyA, "onlyA");
  checkCount(onlyB, "onlyB");
  checkCount(neither, "neither");
  const nPairs = both + onlyA + onlyB + neither;
  const b = onlyA;
  const c = onlyB;
  const nd = b + c;
  let p = 1;
  let oddsRatio: number | null = null;
  let ci: [number, number] | null = null;
  if (nd > 0) {
    p = Math.min(1, 2 * binomialCdf(Math.min(b, c), nd, 0.5));
    oddsRatio = c === 0 ? Infinity : b / c;
    const [pl, pu] = clopperPearson(b, nd, confLevel);
    ci = [pl / (1 - pl), pu === 1 ? Infinity : pu / (1 - pu)];
  }
  return {
    both,
    onlyA,
    onlyB,
    neither,
    n_pairs: nPairs,
    n_incomplete: incomplete,
    b,
    c,
    n_discordant: nd,
    rate_a: nPairs > 0 ? (both + onlyA) / nPairs : null,
    rate_b: nPairs > 0 ? (both + onlyB) / nPairs : null,
    p,
    odds_ratio: oddsRatio,
    ci,
    conf_level: confLevel,
  };
}

/** Cross-tabulate two paired boolean outcome arrays; pairs with a missing outcome are skipped. */
export function pairedTable(
  a: readonly (boolean | null | undefined)[],
  b: readonly (boolean | null | undefined)[],
): PairedTable {
  if (a.length !== b.length) throw new RangeError(`pairedTable: arrays differ in length (${a.length} vs ${b.length})`);
  const t: PairedTable = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x !== "boolean" || typeof y !== "boolean") continue;
    if (x && y) t.both++;
    else if (x) t.onlyA++;
    else if (y) t.onlyB++;
    else t.neither++;
  }
  return t;
}

