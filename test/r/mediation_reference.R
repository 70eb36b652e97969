#!/usr/bin/env Rscript
# Reference values for src/lib/mediation/index.ts and src/lib/stats/bootstrap.ts.
#
# Run from the repository root:  Rscript test/r/mediation_reference.R
# Needs base R, jsonlite and boot (Debian: r-cran-jsonlite, r-cran-boot).
#
# Writes under test/fixtures/mediation/:
#   <name>.csv              participant_id,m_from,m_to,y_from,y_to (empty cell = missing)
#   <name>_indices.json     bootstrap index matrix (0-based, one row per resample) from boot::boot
#   reference.json          everything the vitest suite compares against
#
# Definitions (must match the TypeScript):
#   dM = m_to - m_from, dY = y_to - y_from, z = (m_from + m_to)/2 - mean(...)
#   a = mean(dM), c = mean(dY) (intercept-only lm), lm(dY ~ dM + z): c' = intercept, b = dM slope
#   Sobel SE = sqrt(a^2 SE_b^2 + b^2 SE_a^2)
#   Percentile interval: quantile(type = 7) of the replicates
#   BCa: Efron & Tibshirani (1993) sec. 14.3, z0 = qnorm((#{t < t0} + 0.5 #{t == t0}) / B)
#        (ties: |t - t0| <= 1e-10 max(|t0|, |range(t)|)),
#        a = sum(d^3) / (6 sum(d^2)^1.5), d = mean(jack) - jack, read off with quantile(type = 7).
#   boot::boot.ci(type = "bca", L = empinf(type = "jack")) is also saved; it is only close:
#   empinf's jackknife values are L_i = (n - 1)(t0 - t_(i)) (centred at t0, not at the jackknife
#   mean, so a slightly different acceleration), ties are not split, and it interpolates with
#   norm.inter.
#   Sensitivity (Imai, Keele & Yamamoto 2010, Theorem 2), written independently here:
#     e1 = resid(lm(dY ~ z)), e2 = resid(lm(dM ~ z)), rho_tilde = cor(e1, e2),
#     indirect(rho) = a * sd(e1)/sd(e2) * (rho_tilde - rho * sqrt((1 - rho_tilde^2)/(1 - rho^2)))
#   and, as a check of the closed form, the maximum-likelihood fit of the bivariate normal
#   system dM = a + g z + e2, dY = c' + b dM + d z + e3, corr(e2, e3) = rho fixed (optim).

suppressPackageStartupMessages({
  library(jsonlite)
  library(boot)
})

out_dir <- file.path("test", "fixtures", "mediation")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

# ---------------------------------------------------------------- data sets
make_data <- function(seed, n, missing, a_true, b_true, cp_true, skew = FALSE) {
  set.seed(seed)
  m_from <- rnorm(n, 0.1, 0.15)
  e_m <- if (skew) (rexp(n, 1) - 1) * 0.12 else rnorm(n, 0, 0.1)
  m_to <- m_from + a_true + e_m
  y_from <- rnorm(n, 22, 5)
  mbar <- (m_from + m_to) / 2
  e_y <- if (skew) (rchisq(n, 2) - 2) * 1.5 else rnorm(n, 0, 3)
  y_to <- y_from + cp_true + b_true * (m_to - m_from) + 2 * (mbar - mean(mbar)) + e_y
  d <- data.frame(
    participant_id = sprintf("P%03d", seq_len(n)),
    m_from = round(m_from, 6), m_to = round(m_to, 6),
    y_from = round(y_from, 4), y_to = round(y_to, 4),
    stringsAsFactors = FALSE
  )
  for (k in seq_along(missing)) {
    d[missing[[k]][1], missing[[k]][2]] <- NA
  }
  d
}

datasets <- list(
  # 26 complete + 3 incomplete participants (like the treatment group of the example study)
  typical = make_data(20240501, 29,
                      list(c(4, "m_to"), c(11, "y_from"), c(19, "m_from"), c(19, "y_to")),
                      a_true = 0.08, b_true = -15, cp_true = -1.5),
  # small, negative a
  small = make_data(7, 9, list(c(2, "y_to")), a_true = -0.05, b_true = 10, cp_true = 0.5),
  # skewed errors, n = 40: non-trivial BCa acceleration
  skewed = make_data(99, 40, list(), a_true = 0.05, b_true = -25, cp_true = -1, skew = TRUE)
)

boot_B <- c(typical = 1000, small = 1000, skewed = 1000)
rho_grid <- c(-0.9, -0.5, -0.25, 0, 0.1, 0.3, 0.6, 0.9)
ml_rho <- c(-0.5, 0, 0.3)

# ------------------------------------------------------------- helpers
complete_cases <- function(d) {
  ok <- complete.cases(d[, c("m_from", "m_to", "y_from", "y_to")])
  dd <- d[ok, ]
  dM <- dd$m_to - dd$m_from
  dY <- dd$y_to - dd$y_from
  mb <- (dd$m_from + dd$m_to) / 2
  data.frame(id = dd$participant_id, dM = dM, dY = dY, z = mb - mean(mb))
}

coef_row <- function(s, name, df) {
  co <- s$coefficients
  list(estimate = unname(co[name, 1]), se = unname(co[name, 2]), t = unname(co[name, 3]),
       df = df, p = unname(co[name, 4]))
}

# indirect effect a*b of a data frame with dM, dY, mbar (re-centred: b does not depend on it)
ab_of <- function(dd) {
  zc <- dd$mb - mean(dd$mb)
  f <- lm(dd$dY ~ dd$dM + zc)
  mean(dd$dM) * unname(coef(f)[2])
}

bca_hand <- function(t, t0, jack, level) {
  t <- t[is.finite(t)]
  B <- length(t)
  tol <- 1e-10 * max(abs(t0), abs(range(t)))  # ties up to rounding, as in bootstrap.ts
  z0 <- qnorm((sum(t < t0 - tol) + 0.5 * sum(abs(t - t0) <= tol)) / B)
  d <- mean(jack) - jack
  acc <- sum(d^3) / (6 * sum(d^2)^1.5)
  al <- (1 - level) / 2
  zs <- qnorm(c(al, 1 - al))
  p <- pnorm(z0 + (z0 + zs) / (1 - acc * (z0 + zs)))
  list(z0 = z0, acceleration = acc, probabilities = p,
       interval = unname(quantile(t, p, type = 7)))
}

sens_closed <- function(cc, rho) {
  e1 <- resid(lm(dY ~ z, data = cc))
  e2 <- resid(lm(dM ~ z, data = cc))
  rt <- cor(e1, e2)
  a <- mean(cc$dM)
  list(rho_tilde = rt, sigma_ratio = sd(e1) / sd(e2),
       indirect = a * sd(e1) / sd(e2) * (rt - rho * sqrt((1 - rt^2) / (1 - rho^2))))
}

# ML of the system at fixed rho (bivariate normal errors), independent of the closed form
sens_ml <- function(cc, rho) {
  nll <- function(p) {
    a <- p[1]; g <- p[2]; cp <- p[3]; b <- p[4]; d <- p[5]
    s2 <- exp(p[6]); s3 <- exp(p[7])
    e2 <- cc$dM - a - g * cc$z
    e3 <- cc$dY - cp - b * cc$dM - d * cc$z
    u <- e2 / s2; v <- e3 / s3
    q <- (u^2 - 2 * rho * u * v + v^2) / (1 - rho^2)
    sum(log(s2) + log(s3) + 0.5 * log(1 - rho^2) + 0.5 * q)
  }
  f <- lm(dY ~ dM + z, data = cc)
  fm <- lm(dM ~ z, data = cc)
  start <- c(coef(fm), coef(f), log(sd(resid(fm))), log(sd(resid(f))))
  o <- optim(start, nll, method = "BFGS", control = list(reltol = 1e-15, maxit = 10000))
  o <- optim(o$par, nll, method = "Nelder-Mead", control = list(reltol = 1e-15, maxit = 20000))
  o <- optim(o$par, nll, method = "BFGS", control = list(reltol = 1e-15, maxit = 10000))
  unname(o$par[1] * o$par[4])
}

# ------------------------------------------------------------- reference
reference <- list()
for (name in names(datasets)) {
  d <- datasets[[name]]
  write.csv(d, file.path(out_dir, paste0(name, ".csv")), row.names = FALSE, na = "", quote = FALSE)
  d <- read.csv(file.path(out_dir, paste0(name, ".csv")), stringsAsFactors = FALSE)
  cc <- complete_cases(d)
  n <- nrow(cc)

  fa <- lm(dM ~ 1, data = cc)
  fc <- lm(dY ~ 1, data = cc)
  fb <- lm(dY ~ dM + z, data = cc)
  sa <- summary(fa); sc <- summary(fc); sb <- summary(fb)
  a <- unname(coef(fa)[1]); b <- unname(coef(fb)["dM"])
  se_a <- sa$coefficients[1, 2]; se_b <- sb$coefficients["dM", 2]
  sobel_se <- sqrt(a^2 * se_b^2 + b^2 * se_a^2)
  sobel_z <- a * b / sobel_se

  # line with confidence band at z = 0
  grid <- seq(min(cc$dM), max(cc$dM), length.out = 7)
  pr <- predict(fb, newdata = data.frame(dM = grid, z = 0), interval = "confidence", level = 0.95)

  # bootstrap with boot(); indices saved so that TypeScript evaluates the same resamples
  bd <- data.frame(dM = cc$dM, dY = cc$dY, mb = cc$z)  # any centring of M-bar gives the same b
  stat <- function(dd, i) ab_of(dd[i, ])
  set.seed(1000 + nchar(name))
  bo <- boot(bd, stat, R = boot_B[[name]])
  idx <- boot.array(bo, indices = TRUE) - 1L
  writeLines(toJSON(idx, matrix = "rowmajor"), file.path(out_dir, paste0(name, "_indices.json")))
  t <- as.numeric(bo$t)
  jack <- sapply(seq_len(n), function(i) ab_of(bd[-i, ]))
  L <- empinf(bo, type = "jack")
  bci <- boot.ci(bo, conf = 0.95, type = c("perc", "bca"), L = L)
  bca90 <- bca_hand(t, bo$t0, jack, 0.90)
  bca95 <- bca_hand(t, bo$t0, jack, 0.95)

  sens <- lapply(rho_grid, function(r) sens_closed(cc, r)$indirect)
  s0 <- sens_closed(cc, 0)

  reference[[name]] <- list(
    n = n,
    excluded_ids = I(d$participant_id[!complete.cases(d[, c("m_from", "m_to", "y_from", "y_to")])]),
    a = a, b = b, c = unname(coef(fc)[1]), c_prime = unname(coef(fb)["(Intercept)"]),
    indirect = a * b,
    sobel_se = sobel_se, sobel_z = sobel_z, sobel_p = 2 * pnorm(-abs(sobel_z)),
    paths = list(
      a = list(estimate = a, se = se_a, t = sa$coefficients[1, 3], df = n - 1, p = sa$coefficients[1, 4]),
      b = coef_row(sb, "dM", n - 3),
      c = list(estimate = unname(coef(fc)[1]), se = sc$coefficients[1, 2], t = sc$coefficients[1, 3],
               df = n - 1, p = sc$coefficients[1, 4]),
      c_prime = coef_row(sb, "(Intercept)", n - 3),
      m_mean = coef_row(sb, "z", n - 3)
    ),
    residual_sd = sb$sigma, r_squared = sb$r.squared,
    line = list(x = grid, fit = unname(pr[, "fit"]), lo = unname(pr[, "lwr"]), hi = unname(pr[, "upr"])),
    boot = list(
      B = boot_B[[name]], t0 = bo$t0, replicates = t, jackknife = jack,
      se = sd(t),
      percentile95 = unname(quantile(t, c(0.025, 0.975), type = 7)),
      percentile90 = unname(quantile(t, c(0.05, 0.95), type = 7)),
      bca95 = bca95, bca90 = bca90,
      boot_ci_perc95 = unname(bci$percent[1, 4:5]),
      boot_ci_bca95 = unname(bci$bca[1, 4:5]),
      empinf_acceleration = sum(L^3) / (6 * sum(L^2)^1.5)
    ),
    sensitivity = list(
      rho = rho_grid, indirect = unlist(sens),
      rho_tilde = s0$rho_tilde, sigma_ratio = s0$sigma_ratio,
      ml_rho = ml_rho, ml_indirect = sapply(ml_rho, function(r) sens_ml(cc, r))
    )
  )
}

writeLines(toJSON(reference, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out_dir, "reference.json"))
cat("wrote", file.path(out_dir, "reference.json"), "\n")
for (name in names(reference)) {
  s <- reference[[name]]$sensitivity
  cat(name, "ML vs closed form at rho =", s$ml_rho, ":",
      s$ml_indirect, "vs", s$indirect[match(s$ml_rho, s$rho)], "\n")
}
