/** An estimate with its standard error, degrees of freedom, t statistic, p value and confidence interval (null = not defined). */
export interface TestedEstimate<E extends number | null = number> {
  estimate: E;
  se: number | null;
  df: number | null;
  t: number | null;
  p: number | null;
  ci: [number, number] | null;
}

/** One row of a coefficient table, the same shape for mixed models, OLS and ANCOVA terms (null = not defined). */
export interface Coefficient extends TestedEstimate {
  term: string;
}
