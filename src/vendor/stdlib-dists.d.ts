// Types of the generated bundle src/vendor/stdlib-dists.js (see scripts/vendor-stdlib.ts).
export function tcdf(x: number, v: number): number;
export function tquantile(p: number, v: number): number;
export function ncdf(x: number, mu: number, sigma: number): number;
export function nquantile(p: number, mu: number, sigma: number): number;
export function fcdf(x: number, d1: number, d2: number): number;
export function chisqcdf(x: number, k: number): number;
/** Beta(alpha, beta) CDF at x. */
export function betacdf(x: number, alpha: number, beta: number): number;
/** The digamma function psi(x) = d/dx ln Gamma(x). */
export function digamma(x: number): number;
/** ln |Gamma(x)|. */
export function gammaln(x: number): number;
