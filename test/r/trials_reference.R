#!/usr/bin/env Rscript
# Reference values for src/lib/stats/exact-tests.ts and src/lib/stats/ols.ts (clinical-trial statistics).
#
# Run from the repository root:  Rscript test/r/trials_reference.R
# Needs base R (stats) and jsonlite. Deterministic (set.seed); re-running rewrites identical files.
#
# Writes under test/fixtures/trials/:
#   crossover_responders.csv  participant_id,responder_ketamine,responder_placebo  (paired, NA = missing)
#   parallel_responders.csv   participant_id,arm,responder  (2:1 randomised, NA = missing)
#   ancova_trial.csv          participant_id,arm,baseline,post  (2:1 randomised, n = 73, dropouts)
#   ancova_small.csv          participant_id,arm,baseline,post  (n = 12, reference sorts after treatment)
#   ols_multi.csv             y,x1,x2,x3
#   reference.json            everything the vitest suite compares against
#
# Definitions (must match the TypeScript):
#   McNemar (exact): b = A only, c = B only; p = binom.test(b, b + c)$p.value
#     (= min(1, 2 pbinom(min(b, c), b + c, 1/2))); conditional OR = b / c, CI = ci / (1 - ci) with
#     ci = binom.test(b, b + c)$conf.int (Clopper-Pearson). b + c = 0: p = 1, OR and CI NA.
#   Fisher: fisher.test(rbind(c(a, b), c(c, d))): p, estimate (conditional MLE), conf.int.
#     "precise" = the same function with uniroot(tol = 1e-14) instead of R's default
#     .Machine$double.eps^0.25 (the default leaves ~1e-4 error on the root scale).
#   Sample OR: a d / (b c), Woolf CI exp(log OR +- qnorm(1 - alpha/2) sqrt(1/a + 1/b + 1/c + 1/d)),
#     0.5 added to every cell only when some cell is 0.
#   lm: summary(lm(...)) coefficients, confint(), sigma, r.squared, adj.r.squared, fstatistic;
#     ANCOVA = lm(post ~ arm + baseline), arm = factor(levels = c(reference, treatment)),
#     adjusted means = predict(fit, data.frame(arm, baseline = mean(baseline of analysed rows)),
#     se.fit = TRUE, interval = "confidence").
# Inf is written as the string "Inf", NA as "NA" (jsonlite na = "string").

suppressPackageStartupMessages(library(jsonlite))

out_dir <- file.path("test", "fixtures", "trials")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

# ---------------------------------------------------------------- log-gamma spot checks
lgamma_x <- c(1e-8, 0.1, 0.5, 1, 1.5, 2, 3.7, 9.99, 14.5, 15, 20.25, 100, 1234.5, 4001, 1e6)
lgamma_ref <- lapply(lgamma_x, function(x) list(x = x, lgamma = lgamma(x)))

# ---------------------------------------------------------------- McNemar
mcnemar_ref <- function(name, both, onlyA, onlyB, neither, conf.level = 0.95) {
  b <- onlyA
  c <- onlyB
  nd <- b + c
  if (nd == 0) {
    p <- 1
    ci <- c(NA_real_, NA_real_)
    or <- NA_real_
    or_ci <- c(NA_real_, NA_real_)
    p_formula <- 1
  } else {
    bt <- binom.test(b, nd, conf.level = conf.level)
    p <- bt$p.value
    ci <- as.numeric(bt$conf.int)
    or <- b / c
    or_ci <- ci / (1 - ci)
    p_formula <- min(1, 2 * pbinom(min(b, c), nd, 0.5))
  }
  list(
    name = name, both = both, onlyA = onlyA, onlyB = onlyB, neither = neither,
    conf_level = conf.level, b = b, c = c, n_discordant = nd,
    p = p, p_formula = p_formula, prop_ci = ci, odds_ratio = or, or_ci = or_ci
  )
}

mcnemar_tables <- list(
  # 12 participants, 7 responders on ketamine vs 2 on placebo, all placebo responders also ketamine responders
  list("seven_of_twelve", 2, 5, 0, 5),
  list("no_discordant", 6, 0, 0, 4),
  list("small", 10, 3, 1, 6),
  list("balanced", 3, 4, 4, 9),
  list("b_zero", 0, 0, 7, 3),
  list("one_vs_twelve", 4, 1, 12, 3),
  list("moderate", 20, 14, 5, 21),
  list("large", 520, 310, 255, 915),
  list("very_large", 1200, 1020, 930, 850),
  list("tiny_p", 100, 0, 60, 40)
)
mcnemar <- lapply(mcnemar_tables, function(t) do.call(mcnemar_ref, unname(t)))
mcnemar[[length(mcnemar) + 1]] <- mcnemar_ref("small_90", 10, 3, 1, 6, conf.level = 0.90)

# crossover data set with boolean outcomes
set.seed(20240611)
n_cross <- 24
resp_k <- runif(n_cross) < 0.55
resp_p <- ifelse(resp_k, runif(n_cross) < 0.35, runif(n_cross) < 0.1)
resp_p[c(5, 17)] <- NA
resp_k[9] <- NA
cross <- data.frame(
  participant_id = sprintf("C%02d", seq_len(n_cross)),
  responder_ketamine = resp_k, responder_placebo = resp_p
)
write.csv(cross, file.path(out_dir, "crossover_responders.csv"), row.names = FALSE, na = "")
cc <- complete.cases(cross)
k <- cross$responder_ketamine[cc]
pl <- cross$responder_placebo[cc]
cross_ref <- mcnemar_ref("crossover_csv", sum(k & pl), sum(k & !pl), sum(!k & pl), sum(!k & !pl))
cross_ref$n_pairs <- sum(cc)
cross_ref$n_incomplete <- sum(!cc)

# ---------------------------------------------------------------- Fisher
fisher_precise <- stats::fisher.test
local({
  env <- new.env(parent = asNamespace("stats"))
  env$uniroot <- function(...) stats::uniroot(..., tol = 1e-14)
  environment(fisher_precise) <<- env
})

woolf <- function(a, b, c, d, conf.level) {
  corrected <- any(c(a, b, c, d) == 0)
  if (corrected) {
    a <- a + 0.5; b <- b + 0.5; c <- c + 0.5; d <- d + 0.5
  }
  lor <- log(a * d / (b * c))
  se <- sqrt(1 / a + 1 / b + 1 / c + 1 / d)
  z <- qnorm(1 - (1 - conf.level) / 2)
  list(estimate = exp(lor), ci = exp(lor + c(-1, 1) * z * se), se_log = se, corrected = corrected)
}

fisher_ref <- function(name, a, b, c, d, conf.level = 0.95) {
  M <- rbind(c(a, b), c(c, d))
  ft <- fisher.test(M, conf.level = conf.level)
  fp <- fisher_precise(M, conf.level = conf.level)
  list(
    name = name, table = list(c(a, b), c(c, d)), conf_level = conf.level,
    p = ft$p.value,
    estimate = unname(ft$estimate), ci = as.numeric(ft$conf.int),
    estimate_precise = unname(fp$estimate), ci_precise = as.numeric(fp$conf.int),
    sample_or = woolf(a, b, c, d, conf.level)
  )
}

fisher_tables <- list(
  # 2:1 randomised trial, n = 73: 21/49 responders on ketamine vs 4/24 on placebo
  list("trial_2to1_n73", 21, 28, 4, 20),
  list("zero_cell", 0, 10, 7, 5),
  list("two_zero_cells", 5, 0, 0, 5),
  list("at_upper_end", 12, 0, 5, 8),
  list("ties_symmetric", 3, 5, 5, 3),
  list("tea_tasting", 3, 1, 1, 3),
  list("strong", 1, 9, 9, 1),
  list("moderate", 7, 3, 2, 8),
  list("small_or_below_one", 2, 14, 9, 6),
  list("large_n4000", 812, 1188, 640, 1360),
  list("large_unbalanced", 45, 955, 12, 1988),
  list("null_exact", 5, 5, 5, 5)
)
fisher <- lapply(fisher_tables, function(t) do.call(fisher_ref, unname(t)))
fisher[[length(fisher) + 1]] <- fisher_ref("moderate_90", 7, 3, 2, 8, conf.level = 0.90)
# a table whose margins allow one table only: R reports estimate 0, CI [0, Inf]
degenerate <- fisher_ref("degenerate_empty_row", 0, 0, 3, 4)

# parallel-group responder data set (2:1)
set.seed(73)
arm <- c(rep("ketamine", 49), rep("placebo", 24))
arm <- arm[sample.int(73)]
resp <- ifelse(arm == "ketamine", runif(73) < 0.45, runif(73) < 0.2)
resp[c(3, 40)] <- NA
par_d <- data.frame(participant_id = sprintf("R%02d", 1:73), arm = arm, responder = resp)
write.csv(par_d, file.path(out_dir, "parallel_responders.csv"), row.names = FALSE, na = "")
ok <- !is.na(par_d$responder)
tab <- sapply(c("ketamine", "placebo"), function(a) c(
  responders = sum(par_d$responder[ok & par_d$arm == a]), n = sum(ok & par_d$arm == a),
  missing = sum(!ok & par_d$arm == a)
))
par_ref <- fisher_ref(
  "parallel_csv", tab["responders", "ketamine"], tab["n", "ketamine"] - tab["responders", "ketamine"],
  tab["responders", "placebo"], tab["n", "placebo"] - tab["responders", "placebo"]
)
par_ref$rates <- lapply(c("ketamine", "placebo"), function(a) list(
  arm = a, responders = unname(tab["responders", a]), n = unname(tab["n", a]),
  rate = unname(tab["responders", a] / tab["n", a]), missing = unname(tab["missing", a])
))

# ---------------------------------------------------------------- lm / ANCOVA
lm_summary <- function(fit, level = 0.95) {
  s <- summary(fit)
  co <- s$coefficients
  ci <- confint(fit, level = level)
  fs <- s$fstatistic
  list(
    coefficients = lapply(seq_len(nrow(co)), function(i) list(
      term = rownames(co)[i], estimate = co[i, 1], se = co[i, 2], t = co[i, 3],
      p = co[i, 4], ci = unname(ci[i, ])
    )),
    sigma = s$sigma, r2 = s$r.squared, adj_r2 = s$adj.r.squared,
    f = list(value = unname(fs[1]), df1 = unname(fs[2]), df2 = unname(fs[3]),
             p = unname(pf(fs[1], fs[2], fs[3], lower.tail = FALSE))),
    df_residual = fit$df.residual, n = length(fit$residuals)
  )
}

ancova_ref <- function(name, file, reference, treatment) {
  d <- read.csv(file.path(out_dir, file), stringsAsFactors = FALSE)
  n_all <- nrow(d)
  d <- d[complete.cases(d[, c("baseline", "post")]), ]
  d$arm <- factor(d$arm, levels = c(reference, treatment))
  fit <- lm(post ~ arm + baseline, data = d)
  out <- lm_summary(fit)
  bm <- mean(d$baseline)
  nd <- data.frame(arm = factor(c(reference, treatment), levels = c(reference, treatment)), baseline = bm)
  pr <- predict(fit, nd, se.fit = TRUE, interval = "confidence")
  out$name <- name
  out$file <- file
  out$reference <- reference
  out$treatment <- treatment
  out$n_excluded <- n_all - nrow(d)
  out$baseline_mean <- bm
  out$adjusted_means <- lapply(1:2, function(g) {
    a <- c(reference, treatment)[g]
    list(arm = a, n = sum(d$arm == a), mean = unname(pr$fit[g, "fit"]), se = unname(pr$se.fit[g]),
         ci = unname(pr$fit[g, c("lwr", "upr")]),
         raw_baseline_mean = mean(d$baseline[d$arm == a]), raw_post_mean = mean(d$post[d$arm == a]))
  })
  out
}

# 2:1 randomised trial, n = 73, MADRS-like scores, two dropouts and one missing baseline
set.seed(4242)
arm <- sample(c(rep("ketamine", 49), rep("placebo", 24)))
baseline <- round(rnorm(73, 31, 5), 1)
post <- round(baseline - 4 - 7 * (arm == "ketamine") - 0.35 * (baseline - 31) + rnorm(73, 0, 6), 1)
post[c(11, 52)] <- NA
baseline[30] <- NA
trial <- data.frame(participant_id = sprintf("T%02d", 1:73), arm = arm, baseline = baseline, post = post)
write.csv(trial, file.path(out_dir, "ancova_trial.csv"), row.names = FALSE, na = "")

# small trial, reference level "saline" sorts after "esketamine" (checks the contrast coding)
set.seed(12)
arm <- rep(c("saline", "esketamine"), each = 6)
baseline <- round(rnorm(12, 28, 4), 1)
post <- round(0.8 * baseline - 5 * (arm == "esketamine") + rnorm(12, 0, 3), 1)
small <- data.frame(participant_id = sprintf("S%02d", 1:12), arm = arm, baseline = baseline, post = post)
write.csv(small, file.path(out_dir, "ancova_small.csv"), row.names = FALSE, na = "")

ancova <- list(
  ancova_ref("trial", "ancova_trial.csv", "placebo", "ketamine"),
  ancova_ref("small", "ancova_small.csv", "saline", "esketamine")
)

# general OLS, with and without intercept
set.seed(99)
n <- 40
x1 <- round(rnorm(n), 3)
x2 <- round(runif(n, 0, 10), 2)
x3 <- round(rnorm(n, 5, 2), 3)
y <- round(1.5 + 0.8 * x1 - 0.3 * x2 + 0.05 * x3 + rnorm(n, 0, 1.2), 4)
write.csv(data.frame(y, x1, x2, x3), file.path(out_dir, "ols_multi.csv"), row.names = FALSE)
om <- read.csv(file.path(out_dir, "ols_multi.csv"))
ols_ref <- list(
  with_intercept = lm_summary(lm(y ~ x1 + x2 + x3, data = om)),
  no_intercept = lm_summary(lm(y ~ 0 + x1 + x2, data = om)),
  with_intercept_90 = lm_summary(lm(y ~ x1 + x2 + x3, data = om), level = 0.90)
)

# ---------------------------------------------------------------- write
reference <- list(
  r_version = R.version.string,
  lgamma = lgamma_ref,
  mcnemar = mcnemar,
  crossover_csv = cross_ref,
  fisher = fisher,
  fisher_degenerate = degenerate,
  parallel_csv = par_ref,
  ancova = ancova,
  ols = ols_ref
)
writeLines(toJSON(reference, auto_unbox = TRUE, digits = I(17), pretty = TRUE, na = "string"),
           file.path(out_dir, "reference.json"))
cat("wrote", file.path(out_dir, "reference.json"), "\n")
