/**
 * Brent's (1973) root finder, iteration for iteration as R's uniroot() (src/library/stats/src/zeroin.c).
 * The one root finder of the kit: the exact tests (Clopper-Pearson, Fisher) and the REML optimiser use it.
 *
 *  - Brent RP (1973). Algorithms for Minimization without Derivatives, ch. 4.
 */

export const DBL_EPSILON = 2.220446049250313e-16;
/** R's default `uniroot` tolerance, `.Machine$double.eps^0.25`. */
export const R_UNIROOT_TOL = Math.pow(DBL_EPSILON, 0.25);

export interface RootResult {
  root: number;
  iterations: number;
  /** |c - b| at termination: the width of the final bracket. */
  estim_prec: number;
}

/**
 * Brent's (1973) zero finder, following the same steps as R's `R_zeroin2`
 * (src/library/stats/src/zeroin.c), which `uniroot()` calls with f(lower), f(upper) precomputed.
 * Because the iteration is deterministic, using the same tolerance as R (`R_UNIROOT_TOL`) reproduces
 * R's (approximate) roots to rounding, not just to within `tol`. With `tol = 0` the root is found to
 * a relative precision of about 4 ulps (tol_act = 2 eps |b| + tol / 2).
 */
export function brentZero(
  f: (x: number) => number,
  ax: number,
  bx: number,
  fa: number,
  fb: number,
  tol: number,
  maxit = 1000,
): RootResult {
  let a = ax;
  let b = bx;
  let c = a;
  let fc = fa;
  if (fa === 0) return { root: a, iterations: 0, estim_prec: 0 };
  if (fb === 0) return { root: b, iterations: 0, estim_prec: 0 };
  for (let it = 1; it <= maxit + 1; it++) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      // make b the best approximation so far
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * DBL_EPSILON * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= tolAct || fb === 0) {
      return { root: b, iterations: it - 1, estim_prec: Math.abs(c - b) };
    }
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      // interpolation: secant when only two distinct points, else inverse quadratic
      let p: number;
      let q: number;
      const cb = c - b;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qq = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1));
        q = (qq - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((prevStep * q) / 2)) {
        newStep = p / q;
      }
    }
    if (Math.abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  throw new Error(`brentZero: no convergence in ${maxit} iterations (bracket width ${Math.abs(c - b)})`);
}

/** R's `uniroot(f, c(lower, upper), tol = tol)$root` (no interval extension). */
export function uniroot(f: (x: number) => number, lower: number, upper: number, tol = R_UNIROOT_TOL): number {
  const fl = f(lower);
  const fu = f(upper);
  if (Number.isNaN(fl) || Number.isNaN(fu)) throw new Error("uniroot: f is NaN at an end point");
  if (Math.sign(fl) * Math.sign(fu) > 0) {
    throw new Error(`uniroot: f() values at end points not of opposite sign (f(${lower}) = ${fl}, f(${upper}) = ${fu})`);
  }
  return brentZero(f, lower, upper, fl, fu, tol).root;
}
