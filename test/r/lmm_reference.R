#!/usr/bin/env Rscript
# Reference fits for src/lib/lmm/index.ts (linear mixed model with one random intercept).
#
# Regenerate (deterministic, set.seed() per case) from the repository root with
#   Rscript test/r/lmm_reference.R
# Writes test/fixtures/lmm/<case>.csv (the data, NA written as an empty field)
# and test/fixtures/lmm/reference.json (lme4 + lmerTest results for every case).
#
# Accuracy of the reference
# -------------------------
# lme4's default optimiser (nloptwrap / BOBYQA with xtol_abs = ftol_abs = 1e-8)
# stops when the REML criterion changes by < 1e-8, which leaves theta accurate
# only to ~1e-5 relative (the criterion is flat, quadratic, at the optimum).
# That default theta is stored as `theta_lme4_default` for information only.
# The reference fits instead use `opt_theta()` of test/r/opt_theta.R, passed to
# lmerControl(optimizer = opt_theta): a 1-D optimiser for the single relative
# covariance parameter theta = sigma_b / sigma that (1) runs stats::optimize()
# on [0, upper] with tol = 1e-12, then (2) polishes theta by finding the root of
# a central-difference derivative of lme4's own REML deviance function with
# uniroot(tol = 1e-15), and (3) checks the boundary theta = 0.  This makes
# theta accurate to ~1e-9 relative (limited by the finite-difference
# derivative; in these cases the default optimiser's theta is off by up to
# ~1.4e-7 relative).  Everything else (estimates, SEs, sigma, REMLcrit,
# Satterthwaite df, p-values and CIs from lmerTest) is computed by lme4 /
# lmerTest themselves from that fit; calc.derivs = FALSE only skips lme4's
# post-fit convergence check (a numerical gradient/Hessian in theta).

suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(jsonlite)
})

out_dir <- file.path("test", "fixtures", "lmm")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)

# Tight theta: opt_theta and ctrl (shared with the other reference scripts).
source(file.path("test", "r", "opt_theta.R"))

# Rounded normal draws keep the CSV exact (write.csv prints 15 digits).
rn <- function(n, mean = 0, sd = 1, digits = 4) round(rnorm(n, mean, sd), digits)

# Write the data, read it back, and fit the model on exactly what the CSV holds.
fit_case <- function(name, data, formula, factors, note) {
  csv <- paste0(name, ".csv")
  write.csv(data, file.path(out_dir, csv), row.names = FALSE, na = "")
  d <- read.csv(file.path(out_dir, csv), stringsAsFactors = FALSE)
  for (v in names(factors)) d[[v]] <- factor(as.character(d[[v]]), levels = factors[[v]])
  f <- as.formula(formula)

  fit_default <- suppressMessages(lme4::lmer(f, data = d, REML = TRUE))
  msgs <- character(0)
  fit <- withCallingHandlers(
    lmerTest::lmer(f, data = d, REML = TRUE, control = ctrl),
    message = function(m) { msgs <<- c(msgs, trimws(conditionMessage(m))); invokeRestart("muffleMessage") }
  )
  cs <- coef(summary(fit))                      # lmerTest: Satterthwaite df and p
  ci <- contest(fit, diag(nrow(cs)), joint = FALSE, confint = TRUE, level = 0.95)  # Satterthwaite t CIs
  vc <- as.data.frame(VarCorr(fit))
  X_full <- model.matrix(lme4::nobars(f), model.frame(lme4::subbars(f), d))
  dropped <- setdiff(colnames(X_full), colnames(getME(fit, "X")))

  list(
    name = name,
    csv = csv,
    note = note,
    formula = formula,
    factors = factors,
    n_rows = nrow(d),
    n_obs = nobs(fit),
    n_groups = unname(ngrps(fit)[1]),
    dropped_rows = nrow(d) - nobs(fit),
    theta = unname(getME(fit, "theta")),
    theta_lme4_default = unname(getME(fit_default, "theta")),
    sigma = sigma(fit),
    participant_sd = vc$sdcor[vc$grp != "Residual"],
    reml_criterion = unname(REMLcrit(fit)),
    singular = isSingular(fit),
    rank_deficient = I(dropped),
    messages = I(unique(msgs)),
    fixed = lapply(seq_len(nrow(cs)), function(i) list(
      term = rownames(cs)[i],
      estimate = cs[i, "Estimate"],
      se = cs[i, "Std. Error"],
      df = cs[i, "df"],
      t = cs[i, "t value"],
      p = cs[i, "Pr(>|t|)"],
      ci = c(ci$lower[i], ci$upper[i])
    )),
    fit = fit
  )
}

strip_fit <- function(res) { res$fit <- NULL; res }
cases <- list()

# ---------------------------------------------------------------------------
# (1) Cell-level design: 56 participants (26 TRD, 30 HC) x 2 sessions x 2
#     valences = 224 rows; participant-level age and education covariates.
set.seed(20240101)
n_trd <- 26; n_hc <- 30; np <- n_trd + n_hc
pid <- sprintf("P%03d", 1:np)
grp <- c(rep("TRD", n_trd), rep("HC", n_hc))
age <- round(runif(np, 18, 65))
edu <- round(runif(np, 9, 20))
b0 <- rn(np, 0, 4)
d1 <- expand.grid(valence = c("bad", "good"), session = c("pre", "post1"), i = 1:np,
                  stringsAsFactors = FALSE)
d1 <- data.frame(participant_id = pid[d1$i], group = grp[d1$i], session = d1$session,
                 valence = d1$valence, age = age[d1$i], education = edu[d1$i],
                 stringsAsFactors = FALSE)
mu1 <- with(d1, 10 + 2 * (group == "TRD") - 3 * (session == "post1") + 6 * (valence == "good") -
              4 * (group == "TRD") * (valence == "good") +
              2.5 * (group == "TRD") * (session == "post1") * (valence == "good") +
              0.05 * age - 0.2 * education)
d1$update <- round(mu1 + b0[match(d1$participant_id, pid)] + rnorm(nrow(d1), 0, 6), 4)
case1 <- fit_case("cell_design", d1,
  "update ~ group * session * valence + age + education + (1 | participant_id)",
  list(group = c("HC", "TRD"), session = c("pre", "post1"), valence = c("bad", "good")),
  "2 groups x 2 sessions x 2 valences, cell level, 56 participants (26 TRD / 30 HC)")
# A contrast through lmerTest::contest1D: group difference at post1 (bad news).
L <- setNames(rep(0, length(fixef(case1$fit))), names(fixef(case1$fit)))
L[c("groupTRD", "groupTRD:sessionpost1")] <- 1
ct <- contest1D(case1$fit, L, confint = TRUE)
case1$contrast <- list(L = as.list(L), estimate = ct$Estimate, se = ct$`Std. Error`,
                       df = ct$df, t = ct$`t value`, p = ct$`Pr(>|t|)`, ci = c(ct$lower, ct$upper))
cases[[length(cases) + 1]] <- strip_fit(case1)

# ---------------------------------------------------------------------------
# (2) Unbalanced: 3-level session (levels given in non-alphabetical order),
#     ~15% of rows deleted, some missing responses and ages (rows dropped).
set.seed(777)
np <- 40
pid <- sprintf("S%02d", 1:np)
grp <- sample(c("HC", "TRD"), np, replace = TRUE)
age <- round(runif(np, 18, 65))
b0 <- rn(np, 0, 3)
d2 <- expand.grid(valence = c("bad", "good"), session = c("pre", "post1", "post2"),
                  rep = 1:2, i = 1:np, stringsAsFactors = FALSE)
d2 <- data.frame(participant_id = pid[d2$i], group = grp[d2$i], session = d2$session,
                 valence = d2$valence, age = age[d2$i], stringsAsFactors = FALSE)
mu2 <- with(d2, 5 + 1.5 * (group == "TRD") - 2 * (session == "post1") - 3 * (session == "post2") +
              4 * (valence == "good") + 1.2 * (group == "TRD") * (session == "post2") + 0.03 * age)
d2$update <- round(mu2 + b0[match(d2$participant_id, pid)] + rnorm(nrow(d2), 0, 4), 4)
d2 <- d2[sort(sample(nrow(d2), round(0.85 * nrow(d2)))), ]
d2$update[sample(nrow(d2), 12)] <- NA
d2$age[d2$participant_id %in% c("S03", "S17")] <- NA
cases[[length(cases) + 1]] <- strip_fit(fit_case("unbalanced_3session", d2,
  "update ~ group * session + valence + session:valence + age + (1 | participant_id)",
  list(group = c("HC", "TRD"), session = c("pre", "post1", "post2"), valence = c("bad", "good")),
  "unbalanced, 3-level session, deleted rows and missing values"))

# ---------------------------------------------------------------------------
# (3) Trial level: 30 participants with 35-45 trials each, numeric ids, a
#     trial-level numeric covariate interacting with valence, and a factor
#     (group) whose levels are NOT passed (sorted levels, as R does).
set.seed(4242)
np <- 30
ntr <- sample(35:45, np, replace = TRUE)
grp <- sample(c("control", "patient"), np, replace = TRUE)
b0 <- rn(np, 0, 2)
d3 <- do.call(rbind, lapply(1:np, function(i) data.frame(
  participant_id = 100 + i, group = grp[i],
  valence = sample(c("bad", "good"), ntr[i], replace = TRUE),
  estimation_error = rn(ntr[i], 0, 15, 2), stringsAsFactors = FALSE)))
mu3 <- with(d3, 2 + 0.5 * (group == "patient") + 1 * (valence == "good") +
              0.4 * estimation_error - 0.15 * (valence == "good") * estimation_error)
d3$update <- round(mu3 + b0[d3$participant_id - 100] + rnorm(nrow(d3), 0, 5), 4)
cases[[length(cases) + 1]] <- strip_fit(fit_case("trial_level", d3,
  "update ~ valence * estimation_error + group + (1 | participant_id)",
  list(valence = c("bad", "good")),
  "trial level, 35-45 trials per participant, numeric ids, auto-detected group levels"))

# ---------------------------------------------------------------------------
# (4) Singular fit: no true participant variance; the first seed (from 1) whose
#     REML estimate of the random-intercept variance is exactly 0.
np <- 20
for (seed in 1:200) {
  set.seed(seed)
  d4 <- expand.grid(valence = c("bad", "good"), rep = 1:2, i = 1:np, stringsAsFactors = FALSE)
  d4 <- data.frame(participant_id = sprintf("Q%02d", d4$i),
                   group = rep(c("HC", "TRD"), each = nrow(d4) / 2),
                   valence = d4$valence, stringsAsFactors = FALSE)
  d4$update <- round(3 + 2 * (d4$valence == "good") + rnorm(nrow(d4), 0, 1), 4)
  th <- getME(suppressMessages(lme4::lmer(update ~ group * valence + (1 | participant_id),
                                          data = d4, control = ctrl)), "theta")
  if (th == 0) break
}
case4 <- fit_case("singular", d4, "update ~ group * valence + (1 | participant_id)",
  list(group = c("HC", "TRD"), valence = c("bad", "good")),
  sprintf("singular fit (random-intercept SD estimated at 0), seed %d", seed))
stopifnot(case4$theta == 0, case4$singular)
cases[[length(cases) + 1]] <- case4 <- strip_fit(case4)

# ---------------------------------------------------------------------------
# (5) Rank deficient: TRD has no post2 rows (groupTRD:sessionpost2 is all zero)
#     and age_months = 12 * age is collinear with age.
set.seed(99)
np <- 30
pid <- sprintf("R%02d", 1:np)
grp <- rep(c("HC", "TRD"), each = np / 2)
age <- round(runif(np, 18, 65))
b0 <- rn(np, 0, 3)
d5 <- expand.grid(valence = c("bad", "good"), session = c("pre", "post1", "post2"), i = 1:np,
                  stringsAsFactors = FALSE)
d5 <- data.frame(participant_id = pid[d5$i], group = grp[d5$i], session = d5$session,
                 valence = d5$valence, age = age[d5$i], age_months = 12 * age[d5$i],
                 stringsAsFactors = FALSE)
d5 <- d5[!(d5$group == "TRD" & d5$session == "post2"), ]
d5$update <- round(4 + (d5$group == "TRD") - 2 * (d5$session != "pre") + 3 * (d5$valence == "good") +
                     0.02 * d5$age + b0[match(d5$participant_id, pid)] + rnorm(nrow(d5), 0, 3), 4)
case5 <- fit_case("rank_deficient", d5,
  "update ~ group * session + valence + age + age_months + (1 | participant_id)",
  list(group = c("HC", "TRD"), session = c("pre", "post1", "post2"), valence = c("bad", "good")),
  "empty cell (TRD x post2) and a collinear covariate (age_months = 12 * age)")
stopifnot(length(case5$rank_deficient) == 2)
cases[[length(cases) + 1]] <- strip_fit(case5)

# ---------------------------------------------------------------------------
ref <- list(
  generated_by = "test/r/lmm_reference.R",
  R_version = R.version.string,
  lme4_version = as.character(packageVersion("lme4")),
  lmerTest_version = as.character(packageVersion("lmerTest")),
  optimizer = "opt_theta: optimize(tol = 1e-12) + uniroot(tol = 1e-15) on the derivative of lme4's REML deviance; boundary theta = 0 checked",
  cases = cases
)
writeLines(toJSON(ref, auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null", na = "null"),
           file.path(out_dir, "reference.json"))
cat("wrote", length(cases), "cases to", out_dir, "\n")
for (cs in cases) cat(sprintf("  %-22s n=%4d groups=%3d theta=%.10g (default %.10g) singular=%s dropped=%s\n",
                              cs$name, cs$n_obs, cs$n_groups, cs$theta, cs$theta_lme4_default,
                              cs$singular, paste(cs$rank_deficient, collapse = ",")))
