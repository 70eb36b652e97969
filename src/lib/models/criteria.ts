/**
 * Information criteria of a maximum-likelihood fit with k parameters on n observations
 * (Akaike 1974; Schwarz 1978): AIC = 2k − 2 log L, BIC = k log n − 2 log L. Null when the
 * log-likelihood is (or, for BIC, n = 0).
 */
export function aicOf(k: number, loglik: number | null): number | null {
  return loglik === null ? null : 2 * k - 2 * loglik;
}

export function bicOf(k: number, n: number, loglik: number | null): number | null {
  return loglik === null || n === 0 ? null : k * Math.log(n) - 2 * loglik;
}
