# Reference fits of the learning-rate models (src/lib/models, src/lib/models/hierarchical.ts), computed
# independently in R from trial-level data (no sufficient statistics), for test/lib/models.test.ts
# and test/lib/hierarchical.test.ts.
#
#   Rscript test/r/models_reference.R          (from the repository root; deterministic)
#
# Writes test/fixtures/models/flat.csv, hier.csv, hier_groups.csv (trial data in the trials.csv
# format of the study folder) and reference.json:
#   flat             lm() fits of every model to every participant-session of flat.csv:
#                    coefficients (NA = aliased -> null), ML sigma, logLik(), AIC(), BIC()
#   optim            the same likelihood maximised numerically with optim(BFGS) over (theta, log sigma)
#   map_fixed_prior  MAP and Laplace log evidence under a fixed Gaussian prior, with optim() and
#                    optimHess() (numerical Hessian)
#   hierarchical     plain EM of Huys et al. (2011) to convergence, per model and group, on hier.csv
#
# Model definitions (x = BR - E1, y = E2 - E1, good news: BR < E1):
#   single             y ~ 0 + x
#   valence            y ~ 0 + x*good + x*bad
#   scaling-asymmetry  y ~ 0 + x + N*x            (N = +1 good, -1 bad)
#   ee-weighted        y ~ 0 + x*good + x*bad + z*x,  z = (|x| - mean|x|)/sd|x| (population sd; 0 if sd = 0)
# An exact fit (RSS <= 1e-10 * sum(y^2)) has no likelihood: null (as in src/lib/models/fit.ts).

suppressPackageStartupMessages(library(jsonlite))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
set.seed(20240601)
out_dir <- file.path("test", "fixtures", "models")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

# ---------------------------------------------------------------- data
clamp <- function(v, lo, hi) pmin(hi, pmax(lo, v))

sim_ps <- function(pid, session, n, ag, ab, sigma, beta = 0, kind = "mixed") {
  if (kind == "mixed") {
    e1 <- sample(5:85, n, replace = TRUE)
    br <- sample(3:77, n, replace = TRUE)
    same <- br == e1
    br[same] <- br[same] + 1
  } else if (kind == "bad") {
    e1 <- sample(5:60, n, replace = TRUE)
    br <- e1 + sample(2:30, n, replace = TRUE)
  } else if (kind == "equal_abs_ee") {
    e1 <- rep(50, n)
    br <- ifelse(seq_len(n) %% 2 == 0, 40, 60)
  }
  x <- br - e1
  a <- abs(x)
  z <- if (sd(a) > 0) (a - mean(a)) / sd(a) else 0 * a
  alpha <- ifelse(br < e1, ag, ab) + beta * z
  e2 <- clamp(round(e1 + alpha * x + rnorm(n, 0, sigma)), 1, 99)
  if (kind == "no_update") e2 <- e1
  data.frame(participant_id = pid, session = session, event_id = sprintf("E%02d", seq_len(n)),
             first_estimate = e1, base_rate = br, second_estimate = e2, stringsAsFactors = FALSE)
}

fixed_ps <- function(pid, e1, br, e2) {
  data.frame(participant_id = pid, session = "S1", event_id = sprintf("E%02d", seq_along(e1)),
             first_estimate = e1, base_rate = br, second_estimate = e2, stringsAsFactors = FALSE)
}
flat <- rbind(
  sim_ps("P01", "S1", 40, 0.55, 0.35, 8),
  sim_ps("P01", "S2", 30, 0.50, 0.30, 6, beta = -0.12),
  sim_ps("P02", "S1", 24, 0.30, 0.45, 10, beta = 0.08),
  sim_ps("P03", "S1", 12, 0.40, 0.40, 7, kind = "bad"),          # bad news only
  sim_ps("P04", "S1", 6, 0.50, 0.40, 5, kind = "equal_abs_ee"),  # |EE| = 10 on every trial: beta not estimable
  fixed_ps("P05", c(30, 40, 50, 60, 70), c(20, 50, 40, 70, 60), c(30, 40, 50, 60, 70)),  # never updates: sigma = 0
  fixed_ps("P06", c(60, 50, 20), c(30, 25, 45), c(45, 38, 31))  # 3 trials, 3 coefficients: ee-weighted fits exactly
)

hier_groups <- data.frame(participant_id = sprintf("H%02d", 1:18), group = rep(c("A", "B"), c(10, 8)), stringsAsFactors = FALSE)
hier <- do.call(rbind, lapply(seq_len(nrow(hier_groups)), function(i) {
  g <- hier_groups$group[i]
  n <- c(8, 12, 16, 20, 24, 28, 32, 36, 40)[(i %% 9) + 1]
  ag <- rnorm(1, if (g == "A") 0.55 else 0.40, 0.15)
  ab <- rnorm(1, if (g == "A") 0.35 else 0.40, 0.15)
  sim_ps(hier_groups$participant_id[i], "S1", n, ag, ab, runif(1, 4, 14), beta = rnorm(1, -0.05, 0.15))
}))

write.csv(flat, file.path(out_dir, "flat.csv"), row.names = FALSE, quote = FALSE)
write.csv(hier, file.path(out_dir, "hier.csv"), row.names = FALSE, quote = FALSE)
write.csv(hier_groups, file.path(out_dir, "hier_groups.csv"), row.names = FALSE, quote = FALSE)

# ---------------------------------------------------------------- models
models <- c("single", "valence", "scaling-asymmetry", "ee-weighted")
coef_names <- list(single = "alpha", valence = c("alpha_good", "alpha_bad"),
                   `scaling-asymmetry` = c("s", "k"), `ee-weighted` = c("alpha_good", "alpha_bad", "beta"))

design <- function(d, model) {
  x <- d$base_rate - d$first_estimate
  y <- d$second_estimate - d$first_estimate
  good <- as.numeric(d$base_rate < d$first_estimate)
  bad <- 1 - good
  a <- abs(x)
  v <- mean((a - mean(a))^2)
  z <- if (v > 1e-12 * mean(a)^2) (a - mean(a)) / sqrt(v) else 0 * a
  X <- switch(model,
    single = cbind(alpha = x),
    valence = cbind(alpha_good = x * good, alpha_bad = x * bad),
    `scaling-asymmetry` = cbind(s = x, k = (good - bad) * x),
    `ee-weighted` = cbind(alpha_good = x * good, alpha_bad = x * bad, beta = z * x))
  list(X = X, y = y)
}

num_or_null <- function(v) if (is.null(v) || is.na(v) || !is.finite(v)) NULL else unname(v)

flat_fit <- function(d, model) {
  ds <- design(d, model)
  fit <- lm(ds$y ~ 0 + ds$X)
  cf <- coef(fit)
  names(cf) <- colnames(ds$X)
  rss <- sum(residuals(fit)^2)
  exact <- rss <= 1e-10 * sum(ds$y^2)
  list(participant_id = d$participant_id[1], session = d$session[1], model = model,
       n = nrow(d), n_good = sum(d$base_rate < d$first_estimate), n_bad = sum(d$base_rate > d$first_estimate),
       coef = lapply(as.list(cf), num_or_null),
       sigma = if (exact) NULL else sqrt(rss / nrow(d)),
       loglik = if (exact) NULL else as.numeric(logLik(fit)),
       aic = if (exact) NULL else AIC(fit),
       bic = if (exact) NULL else BIC(fit),
       df = attr(logLik(fit), "df"))
}

negll <- function(par, X, y) {
  p <- ncol(X); w <- par[p + 1]; r <- y - X %*% par[1:p]
  length(y) * w + 0.5 * length(y) * log(2 * pi) + 0.5 * sum(r^2) * exp(-2 * w)
}
negll_grad <- function(par, X, y) {
  p <- ncol(X); w <- par[p + 1]; r <- as.vector(y - X %*% par[1:p])
  c(-as.vector(crossprod(X, r)) * exp(-2 * w), length(y) - sum(r^2) * exp(-2 * w))
}

optim_fit <- function(d, model) {
  ds <- design(d, model)
  X <- ds$X; y <- ds$y
  start <- c(rep(0.3, ncol(X)), log(sd(y) + 1))
  o <- optim(start, negll, negll_grad, X = X, y = y, method = "BFGS", control = list(reltol = 1e-16, maxit = 10000))
  o <- optim(o$par, negll, negll_grad, X = X, y = y, method = "BFGS", control = list(reltol = 1e-16, maxit = 10000))
  ll <- -o$value; k <- ncol(X) + 1; n <- length(y)
  list(participant_id = d$participant_id[1], session = d$session[1], model = model,
       coef = as.list(setNames(o$par[1:ncol(X)], colnames(X))), sigma = exp(o$par[ncol(X) + 1]),
       loglik = ll, aic = 2 * k - 2 * ll, bic = k * log(n) - 2 * ll, convergence = o$convergence)
}

split_ps <- function(d) split(d, paste(d$participant_id, d$session, sep = "/"), drop = TRUE)
flat_sets <- split_ps(flat)
flat_sets <- flat_sets[order(names(flat_sets))]

flat_results <- list()
optim_results <- list()
for (ps in names(flat_sets)) {
  d <- flat_sets[[ps]]
  for (m in models) {
    flat_results[[length(flat_results) + 1]] <- flat_fit(d, m)
    # optim only where the ML exists and every coefficient is identified
    ds <- design(d, m)
    if (qr(ds$X)$rank == ncol(ds$X) && !is.null(flat_results[[length(flat_results)]]$loglik)) optim_results[[length(optim_results) + 1]] <- optim_fit(d, m)
  }
}

# ---------------------------------------------------------------- MAP under a fixed prior
# f(phi) = -log p(y | theta, sigma = exp(w)) - log N(phi; mu, diag(v)), phi = (theta, w)
negpost <- function(par, X, y, mu, v) negll(par, X, y) + 0.5 * sum((par - mu)^2 / v) + 0.5 * sum(log(2 * pi * v))
negpost_grad <- function(par, X, y, mu, v) negll_grad(par, X, y) + (par - mu) / v
# Analytic Hessian of negpost, from trial-level data.
negpost_hess <- function(par, X, y, mu, v) {
  p <- ncol(X); w <- par[p + 1]; e <- exp(-2 * w); r <- as.vector(y - X %*% par[1:p])
  H <- matrix(0, p + 1, p + 1)
  H[1:p, 1:p] <- crossprod(X) * e
  H[1:p, p + 1] <- H[p + 1, 1:p] <- 2 * as.vector(crossprod(X, r)) * e
  H[p + 1, p + 1] <- 2 * sum(r^2) * e
  H + diag(1 / v, p + 1)
}
map_fit <- function(X, y, mu, v, start = mu) {
  o <- optim(start, negpost, negpost_grad, X = X, y = y, mu = mu, v = v, method = "BFGS",
             control = list(reltol = 1e-16, maxit = 10000))
  par <- o$par
  # Newton polish with the analytic Hessian (the optimum is interior and the objective smooth)
  for (it in 1:20) {
    g <- negpost_grad(par, X, y, mu, v)
    if (max(abs(g)) < 1e-11) break
    par <- par - solve(negpost_hess(par, X, y, mu, v), g)
  }
  H <- negpost_hess(par, X, y, mu, v)
  # Laplace: log p(y) ~= -f(phi*) + (d/2) log(2 pi) - (1/2) log det H
  log_ev <- -negpost(par, X, y, mu, v) + 0.5 * length(par) * log(2 * pi) - 0.5 * as.numeric(determinant(H, logarithm = TRUE)$modulus)
  list(phi = par, H = H, log_evidence = log_ev)
}

fixed_prior <- list(
  single = list(mean = c(0.4, log(8)), variance = c(0.04, 0.1)),
  valence = list(mean = c(0.45, 0.35, log(8)), variance = c(0.04, 0.03, 0.1)),
  `scaling-asymmetry` = list(mean = c(0.4, 0.05, log(8)), variance = c(0.03, 0.01, 0.1)),
  `ee-weighted` = list(mean = c(0.45, 0.35, -0.05, log(8)), variance = c(0.04, 0.03, 0.01, 0.1)))

map_results <- list()
for (ps in names(flat_sets)) {
  d <- flat_sets[[ps]]
  for (m in models) {
    ds <- design(d, m)
    pr <- fixed_prior[[m]]
    mf <- map_fit(ds$X, ds$y, pr$mean, pr$variance)
    # cross-check of the analytic Hessian with optimHess() (numerical)
    Hn <- optimHess(mf$phi, negpost, negpost_grad, X = ds$X, y = ds$y, mu = pr$mean, v = pr$variance)
    stopifnot(max(abs(Hn - mf$H)) <= 1e-4 * max(1, max(abs(mf$H))))
    map_results[[length(map_results) + 1]] <- list(participant_id = d$participant_id[1], session = d$session[1], model = m,
      prior = pr, phi = mf$phi, hessian_inverse_diag = diag(solve(mf$H)), log_evidence = mf$log_evidence)
  }
}

# ---------------------------------------------------------------- plain EM (Huys et al. 2011)
em_fit <- function(sets, model, min_var = 1e-4, tol = 1e-9, maxit = 20000) {
  des <- lapply(sets, function(d) design(d, model))
  p <- ncol(des[[1]]$X); dd <- p + 1
  # start: pooled least squares of the cell, unit variances (as src/lib/models/hierarchical.ts)
  Xp <- do.call(rbind, lapply(des, `[[`, "X")); yp <- unlist(lapply(des, `[[`, "y"))
  th <- qr.coef(qr(Xp), yp); th[is.na(th)] <- 0
  mu <- c(th, 0.5 * log(sum((yp - Xp %*% th)^2) / length(yp))); v <- rep(1, dd)
  phis <- lapply(des, function(z) mu)
  estep <- function(mu, v) {
    res <- lapply(seq_along(des), function(i) map_fit(des[[i]]$X, des[[i]]$y, mu, v, start = phis[[i]]))
    res
  }
  res <- estep(mu, v)
  for (it in 1:maxit) {
    P <- do.call(rbind, lapply(res, `[[`, "phi"))
    Hd <- do.call(rbind, lapply(res, function(r) diag(solve(r$H))))
    mu_new <- colMeans(P)
    v_new <- pmax(colMeans(P^2 + Hd) - mu_new^2, min_var)
    change <- max(abs(c(mu_new - mu, log(v_new) - log(v))))
    phis <- lapply(res, `[[`, "phi")
    mu <- mu_new; v <- v_new
    res <- estep(mu, v)
    if (change < tol) break
  }
  log_ev <- sum(sapply(res, `[[`, "log_evidence"))
  n_trials <- sum(sapply(des, function(z) length(z$y)))
  list(model = model, mean = mu, variance = v, log_evidence = log_ev,
       ibic = -2 * log_ev + 2 * dd * log(n_trials), k_group = 2 * dd, n_trials = n_trials, iterations = it,
       maps = lapply(seq_along(res), function(i) list(participant_id = sets[[i]]$participant_id[1],
                                                      session = sets[[i]]$session[1], phi = res[[i]]$phi)))
}

hier_sets <- split_ps(hier)
hier_results <- list()
for (m in models) {
  for (g in c("A", "B")) {
    ids <- hier_groups$participant_id[hier_groups$group == g]
    sets <- hier_sets[paste(ids, "S1", sep = "/")]
    r <- em_fit(sets, m)
    r$group <- g
    r$session <- "S1"
    hier_results[[length(hier_results) + 1]] <- r
  }
}

reference <- list(
  generated_by = "test/r/models_reference.R",
  r_version = R.version.string,
  flat = flat_results, optim = optim_results, map_fixed_prior = map_results, hierarchical = hier_results)
write_json(reference, file.path(out_dir, "reference.json"), auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE)
cat("wrote", file.path(out_dir, "reference.json"), "\n")
