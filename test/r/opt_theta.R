# A tight one-dimensional optimiser for the random-intercept theta of lme4, shared by the R
# reference scripts (source("test/r/opt_theta.R") from the repository root).
#
# lme4's default optimiser stops with theta off by up to ~1.4e-7 relative; the kit's REML profile
# is exact, so the references polish theta: (1) optimize() on [0, max(20, 20 theta0)] with
# tol 1e-12, (2) a root of the central-difference derivative of the REML deviance near that
# minimum (uniroot, tol 1e-15), (3) the boundary theta = 0 if its deviance is not larger.
# Signature as lme4 expects of a user-supplied optimizer: (par, fn, lower, upper, control) ->
# list(par, fval, conv, message). calc.derivs = FALSE only skips lme4's post-fit convergence check.
opt_theta <- function(par, fn, lower, upper, control = list(), ...) {
  stopifnot(length(par) == 1L)
  hi <- max(20, 20 * par)
  o <- optimize(fn, c(0, hi), tol = 1e-12)
  th <- o$minimum
  # central-difference derivative of the REML deviance
  dfn <- function(t) {
    h <- 1e-5 * max(abs(t), 1e-3)
    (fn(t + h) - fn(t - h)) / (2 * h)
  }
  lo_b <- th * (1 - 1e-3); hi_b <- th * (1 + 1e-3)
  if (th > 1e-4 && dfn(lo_b) < 0 && dfn(hi_b) > 0) {
    th <- uniroot(dfn, c(lo_b, hi_b), tol = 1e-15)$root
  }
  f0 <- fn(0)
  fth <- fn(th)
  if (f0 <= fth) { th <- 0; fth <- f0 }
  list(par = th, fval = fth, conv = 0, message = "opt_theta")
}
ctrl <- lmerControl(optimizer = opt_theta, calc.derivs = FALSE)
