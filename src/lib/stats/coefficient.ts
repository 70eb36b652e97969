/** One row of a coefficient table, the same shape for mixed models, OLS and ANCOVA terms (null = not defined). */
export interface Coefficient {
  term: string;
  estimate: number;
  se: number | null;
  df: number | null;
  t: number | null;
  p: number | null;
  ci: [number, number] | null;
}
