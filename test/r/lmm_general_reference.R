#!/usr/bin/env Rscript
# Reference fits for the general mixed-model engine (src/lib/lmm/mixed.ts, anova.ts, emmeans.ts,
# table.ts): random slopes, uncorrelated terms, crossed and nested grouping, REML and ML, type III
# and type II F tests, simple effects, user contrasts.
#
# Regenerate from the repository root (R 4.2, lme4 1.1-31, lmerTest 3.1-3, emmeans 1.8.4):
#   npx tsx test/bench/lmm-rows.ts data/ketamine-trd test/fixtures/lmm/general/ketamine
#   npx tsx src/cli/simulate.ts --out /tmp/lmm-sim60 --participants 60 --seed 11
#   npx tsx test/bench/lmm-rows.ts /tmp/lmm-sim60 test/fixtures/lmm/general/sim60
#   Rscript test/r/lmm_general_reference.R
# Writes test/fixtures/lmm/general/<case>.csv (data generated here; NA as an empty field) and
# test/fixtures/lmm/general/reference.json.
#
# Accuracy of the reference
# -------------------------
# lme4's default optimiser stops when the criterion changes by < 1e-8 or so, leaving theta off by
# ~1e-7..1e-5 relative. Every reference fit here passes lmerControl(optimizer = opt_tight): for one
# variance parameter the 1-D opt_theta() of test/r/opt_theta.R; otherwise minqa::bobyqa with
# rhoend = 1e-12 from lme4's start, then bobyqa again from that optimum with rhobeg = 1e-4,
# rhoend = 1e-14 (a fresh trust region polishes the last digits). Everything else (estimates, SEs,
# Satterthwaite df, F tests, VarCorr, emmeans) is computed by lme4 / lmerTest / emmeans from that
# fit. calc.derivs = FALSE only skips lme4's post-fit convergence check.

suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(emmeans)
  library(jsonlite)
})
emm_options(lmer.df = "satterthwaite", lmerTest.limit = 1e6)

out_dir <- file.path("test", "fixtures", "lmm", "general")
dir.create(out_dir, recursive = TRUE, showWarnings = FALSE)
source(file.path("test", "r", "opt_theta.R"))

opt_tight <- function(par, fn, lower, upper, control = list(), ...) {
  if (length(par) == 1L) return(opt_theta(par, fn, lower, upper))
  o <- minqa::bobyqa(par, fn, lower = lower, upper = upper,
                     control = list(rhobeg = 0.2, rhoend = 1e-12, maxfun = 1e5))
  o2 <- minqa::bobyqa(o$par, fn, lower = lower, upper = upper,
                      control = list(rhobeg = 1e-4, rhoend = 1e-14, maxfun = 1e5))
  if (o2$fval <= o$fval) o <- o2
  list(par = o$par, fval = o$fval, conv = 0, message = "opt_tight")
}
ctrl_tight <- lmerControl(optimizer = opt_tight, calc.derivs = FALSE)

na2null <- function(x) if (length(x) == 1 && is.na(x)) NULL else x
rn <- function(n, mean = 0, sd = 1, digits = 4) round(rnorm(n, mean, sd), digits)

anova_rows <- function(a, type) {
  lapply(seq_len(nrow(a)), function(i) list(
    term = rownames(a)[i], type = type,
    num_df = na2null(a$NumDF[i]), den_df = na2null(a$DenDF[i]),
    F = na2null(a[["F value"]][i]), p = na2null(a[["Pr(>F)"]][i])))
}

fit_case <- function(name, csv, formula, factors = list(), reml = TRUE, note = "",
                     emm = NULL, contrasts = NULL, sas = NULL) {
  d <- read.csv(file.path(out_dir, csv), stringsAsFactors = FALSE)
  for (v in names(factors)) {
    lv <- factors[[v]]
    d[[v]] <- if (is.null(lv)) factor(d[[v]]) else factor(as.character(d[[v]]), levels = lv)
  }
  f <- as.formula(formula)
  msgs <- character(0)
  t0 <- proc.time()[["elapsed"]]
  fit <- withCallingHandlers(
    lmerTest::lmer(f, data = d, REML = reml, control = ctrl_tight),
    message = function(m) { msgs <<- c(msgs, trimws(conditionMessage(m))); invokeRestart("muffleMessage") },
    warning = function(w) { msgs <<- c(msgs, trimws(conditionMessage(w))); invokeRestart("muffleWarning") })
  fit_default <- suppressWarnings(suppressMessages(lme4::lmer(f, data = d, REML = reml)))
  cs <- coef(summary(fit))
  ci <- contest(fit, diag(nrow(cs)), joint = FALSE, confint = TRUE, level = 0.95)
  vc <- as.data.frame(VarCorr(fit))
  a3 <- suppressMessages(anova(fit, type = 3))
  a2 <- suppressMessages(anova(fit, type = 2))
  X_full <- model.matrix(lme4::nobars(f), model.frame(lme4::subbars(f), d))
  dropped <- setdiff(colnames(X_full), colnames(getME(fit, "X")))
  res <- list(
    name = name, csv = csv, note = note, formula = formula,
    factors = lapply(factors, function(l) if (is.null(l)) NULL else I(l)),
    factor_columns = I(as.character(names(factors))),
    reml = reml,
    n_obs = nobs(fit),
    n_rows = nrow(d),
    groups = as.list(ngrps(fit)),
    theta = I(unname(getME(fit, "theta"))),
    theta_lme4_default = I(unname(getME(fit_default, "theta"))),
    sigma = sigma(fit),
    reml_criterion = if (reml) unname(REMLcrit(fit)) else NULL,
    deviance = if (!reml) unname(deviance(fit)) else NULL,
    loglik = as.numeric(logLik(fit)),
    singular = isSingular(fit),
    rank_deficient = I(dropped),
    messages = I(unique(msgs)),
    fixed = lapply(seq_len(nrow(cs)), function(i) list(
      term = rownames(cs)[i], estimate = cs[i, "Estimate"], se = cs[i, "Std. Error"],
      df = cs[i, "df"], t = cs[i, "t value"], p = cs[i, "Pr(>|t|)"],
      ci = c(ci$lower[i], ci$upper[i]))),
    anova = c(anova_rows(a3, 3), anova_rows(a2, 2)),
    varcorr = lapply(seq_len(nrow(vc)), function(i) list(
      grp = vc$grp[i], var1 = na2null(vc$var1[i]), var2 = na2null(vc$var2[i]),
      vcov = vc$vcov[i], sdcor = na2null(vc$sdcor[i]))),
    seconds_lmerTest = proc.time()[["elapsed"]] - t0
  )
  if (!is.null(emm)) {
    spec <- as.formula(paste("~", emm$factor, if (length(emm$by)) paste("|", paste(emm$by, collapse = " * ")) else ""))
    e <- emmeans(fit, spec, lmer.df = "satterthwaite")
    es <- as.data.frame(summary(e, infer = c(TRUE, FALSE)))
    pc <- as.data.frame(summary(pairs(e, adjust = "none"), infer = c(TRUE, TRUE)))
    res$emmeans <- list(
      factor = emm$factor, by = I(as.character(emm$by)),
      emmeans = lapply(seq_len(nrow(es)), function(i) list(
        at = as.list(sapply(c(emm$by, emm$factor), function(v) as.character(es[[v]][i]))),
        estimate = es$emmean[i], se = es$SE[i], df = es$df[i], ci = c(es$lower.CL[i], es$upper.CL[i]))),
      contrasts = lapply(seq_len(nrow(pc)), function(i) list(
        by = as.list(sapply(emm$by, function(v) as.character(pc[[v]][i]))),
        contrast = as.character(pc$contrast[i]), estimate = pc$estimate[i], se = pc$SE[i],
        df = pc$df[i], t = pc$t.ratio[i], p = pc$p.value[i], ci = c(pc$lower.CL[i], pc$upper.CL[i]))))
  }
  if (!is.null(contrasts)) {
    nm <- names(fixef(fit))
    res$contrasts <- lapply(contrasts, function(cc) {
      L <- do.call(rbind, lapply(cc$L, function(r) { v <- setNames(rep(0, length(nm)), nm); v[names(r)] <- unlist(r); v }))
      if (nrow(L) == 1) {
        ct <- contest1D(fit, drop(L), confint = TRUE)
        list(name = cc$name, L = cc$L, kind = "t", estimate = ct$Estimate, se = ct$`Std. Error`, df = ct$df,
             t = ct$`t value`, p = ct$`Pr(>|t|)`, ci = c(ct$lower, ct$upper))
      } else {
        ct <- contestMD(fit, L)
        list(name = cc$name, L = cc$L, kind = "F", num_df = ct$NumDF, den_df = ct$DenDF, F = ct$`F value`, p = ct$`Pr(>F)`)
      }
    })
  }
  if (!is.null(sas)) res$sas <- sas
  cat(sprintf("  %-26s n=%6d theta=%s singular=%s (%.1f s)\n", name, res$n_obs,
              paste(signif(res$theta, 6), collapse = ","), res$singular, res$seconds_lmerTest))
  res
}

write_data <- function(d, csv) write.csv(d, file.path(out_dir, csv), row.names = FALSE, na = "")
cases <- list()
add <- function(x) cases[[length(cases) + 1]] <<- x

# ---------------------------------------------------------------------------
# Public data: lme4::sleepstudy, lmerTest::carrots and ham (the SAS PROC MIXED comparisons of
# lmerTest's tests/test_compare_sas.R; SAS values copied from there into `sas`).
write_data(sleepstudy, "sleepstudy.csv")
sl <- sleepstudy
sl$f <- rep(c("a", "b", "c"), length.out = nrow(sl))
write_data(sl, "sleepstudy_f.csv")
write_data(carrots, "carrots.csv")
write_data(ham, "ham.csv")
fac_car <- list(Consumer = NULL, Frequency = NULL, Income = NULL, Homesize = NULL, Product = NULL)
fac_ham <- list(Consumer = NULL, Product = NULL, Information = NULL, Gender = NULL)

add(fit_case("sleep_slope", "sleepstudy.csv", "Reaction ~ Days + (Days | Subject)", list(Subject = NULL),
             contrasts = list(list(name = "Int + 5 Days", L = list(list(`(Intercept)` = 1, Days = 5))),
                              list(name = "both", L = list(list(`(Intercept)` = 1), list(Days = 1))))))
add(fit_case("sleep_diag", "sleepstudy.csv", "Reaction ~ Days + (Days || Subject)", list(Subject = NULL)))
add(fit_case("sleep_slope_ml", "sleepstudy.csv", "Reaction ~ Days + (Days | Subject)", list(Subject = NULL), reml = FALSE))
add(fit_case("sleep_intercept_ml", "sleepstudy.csv", "Reaction ~ Days + (1 | Subject)", list(Subject = NULL), reml = FALSE))
add(fit_case("sleep_zero_slope", "sleepstudy.csv", "Reaction ~ Days + (0 + Days | Subject) + (1 | Subject)", list(Subject = NULL)))
add(fit_case("sleep_factor_doublebar", "sleepstudy_f.csv", "Reaction ~ Days + (1 + f || Subject)", list(Subject = NULL),
             note = "(1 + f || g) with factor f: lme4 makes (1 | g) + (0 + f | g), the indicators of f correlated; singular"))
add(fit_case("carrots_sas", "carrots.csv", "Preference ~ sens2 * Frequency * Income + (1 + sens2 | Consumer)", fac_car,
             sas = list(anova_p = c(2e-5, 0.15512, 0.06939, 0.08223, 0.52459, 0.03119, 0.48344), anova_den_df_round = rep(83, 7))))
add(fit_case("ham_sas", "ham.csv", "Informed.liking ~ Product * Information * Gender + (1 | Product:Consumer) + (1 | Consumer)", fac_ham,
             emm = list(factor = "Product", by = character(0)),
             sas = list(lsmeans_product = c(5.8084, 5.1012, 6.0909, 5.9256))))
add(fit_case("carrots_noint", "carrots.csv", "Preference ~ 0 + sens2 + Homesize + (1 + sens2 | Consumer)", fac_car,
             sas = list(anova3_F = c(54.8206, 4169.87))))
add(fit_case("carrots_type2", "carrots.csv", "Preference ~ sens2 * Homesize + (1 + sens2 | Consumer)", fac_car,
             sas = list(anova2_F = c(54.8361, 5.16138, 1.03035))))
add(fit_case("ham_age", "ham.csv", "Informed.liking ~ Product * Age + (1 | Consumer)", fac_ham,
             sas = list(anova2_F = c(2.48135, .005387, 1.48451))))
add(fit_case("carrots_3way", "carrots.csv", "Preference ~ sens2 * Homesize * sens1 + (1 | Product)", fac_car,
             sas = list(anova2_F = c(16.4842, 14.0010, .526076, 1.18144, .107570, .335177, 1.05946),
                        anova3_F = c(16.9140, 14.0010, .481148, 1.18144, .074201, .335177, 1.05946))))
glm <- data.frame(a = c(1,1,1,2,2,2,2,2,1,2), b = c(1,1,2,1,2,2,2,2,2,1), f = c(1,2,1,2,1,2,1,2,1,2),
                  y = c(12,14,11,20,17,23,35,46,15,16))
write_data(glm, "sas_glm.csv")
add(fit_case("sas_glm", "sas_glm.csv", "y ~ a * b + (1 | f)", list(a = NULL, b = NULL, f = NULL),
             sas = list(anova2_F = c(3.90131, 1.32753, 0.99565))))

# More public data: crossed (Penicillin), nested (Pastes), a split plot (cake), a random slope of a
# covariate on a large scale (datasets::Orange: age 118..1582 days).
write_data(Penicillin, "penicillin.csv")
write_data(Pastes, "pastes.csv")
write_data(cake, "cake.csv")
write_data(as.data.frame(Orange), "orange.csv")
add(fit_case("penicillin", "penicillin.csv", "diameter ~ 1 + (1 | plate) + (1 | sample)", list()))
add(fit_case("pastes_nested", "pastes.csv", "strength ~ 1 + (1 | batch/cask)", list()))
add(fit_case("cake_split_plot", "cake.csv", "angle ~ recipe * temperature + (1 | recipe:replicate)",
             list(recipe = NULL, temperature = c("175", "185", "195", "205", "215", "225"), replicate = NULL)))
add(fit_case("orange_slope", "orange.csv", "circumference ~ age + (age | Tree)", list(Tree = NULL)))

# ---------------------------------------------------------------------------
# Designed data: between- and within-subject factors, numeric covariates, unbalanced, missing.
set.seed(31)
ns <- 45
subj <- 1000 + 1:ns
grp <- sample(c("ctl", "drugA", "drugB"), ns, replace = TRUE)
age <- round(runif(ns, 20, 60))
b0 <- rn(ns, 0, 3); b1 <- rn(ns, 0, 1.5); b2 <- rn(ns, 0, 1)
dd <- expand.grid(rep = 1:3, cond = c("low", "mid", "high"), i = 1:ns, stringsAsFactors = FALSE)
dd <- data.frame(subj = subj[dd$i], group = grp[dd$i], cond = dd$cond, age = age[dd$i],
                 x = rn(nrow(dd), 0, 2, 3), stringsAsFactors = FALSE)
i <- match(dd$subj, subj)
dd$y <- round(10 + 1.5 * (dd$group == "drugA") - 1 * (dd$group == "drugB") + 2 * (dd$cond == "mid") +
                3.5 * (dd$cond == "high") + 1.2 * (dd$group == "drugA") * (dd$cond == "high") + 0.05 * dd$age +
                0.8 * dd$x + b0[i] + b1[i] * (dd$cond == "mid") + b2[i] * (dd$cond == "high") + rnorm(nrow(dd), 0, 2), 4)
dd <- dd[sort(sample(nrow(dd), round(0.88 * nrow(dd)))), ]
dd$y[sample(nrow(dd), 8)] <- NA
dd$x[sample(nrow(dd), 5)] <- NA
write_data(dd, "between_within.csv")
lv_cond <- c("low", "mid", "high")
add(fit_case("between_within_slope", "between_within.csv", "y ~ group * cond + age + x + (1 + cond | subj)",
             list(group = NULL, cond = lv_cond, subj = NULL),
             note = "3-level between factor, 3-level within factor with correlated random slopes, numeric covariates, numeric ids, unbalanced, missing values",
             emm = list(factor = "cond", by = "group")))
add(fit_case("between_within_cov_slope", "between_within.csv", "y ~ group * x + cond + (1 + x | subj)",
             list(group = NULL, cond = lv_cond, subj = NULL), reml = FALSE,
             note = "random slope of a trial-level numeric covariate (every subject its own Z'Z: per-level updates), ML"))

# Crossed subjects x items.
set.seed(32)
nsub <- 40; nit <- 16
cr <- expand.grid(item = sprintf("it%02d", 1:nit), subj = sprintf("s%02d", 1:nsub), stringsAsFactors = FALSE)
sg <- setNames(rep(c("A", "B"), each = nsub / 2), sprintf("s%02d", 1:nsub))
ic <- setNames(rep(c("c1", "c2"), nit / 2), sprintf("it%02d", 1:nit))
cr$group <- sg[cr$subj]; cr$cond <- ic[cr$item]
us <- setNames(rn(nsub, 0, 2), sprintf("s%02d", 1:nsub)); ui <- setNames(rn(nit, 0, 1.5), sprintf("it%02d", 1:nit))
cr$y <- round(5 + (cr$group == "B") + 2 * (cr$cond == "c2") - 1.5 * (cr$group == "B") * (cr$cond == "c2") +
                us[cr$subj] + ui[cr$item] + rnorm(nrow(cr), 0, 2), 4)
cr <- cr[-sample(nrow(cr), 40), ]
write_data(cr, "crossed.csv")
add(fit_case("crossed_items", "crossed.csv", "y ~ group * cond + (1 | subj) + (1 | item)", list(),
             emm = list(factor = "cond", by = "group")))
add(fit_case("crossed_items_slope", "crossed.csv", "y ~ group * cond + (1 + cond | subj) + (1 | item)", list()))

# Nested: classes within schools.
set.seed(33)
nsch <- 12
ne <- do.call(rbind, lapply(1:nsch, function(s) {
  ncl <- sample(2:4, 1)
  do.call(rbind, lapply(1:ncl, function(k) data.frame(school = sprintf("S%02d", s), class = sprintf("c%d", k),
                                                        x = rn(sample(5:9, 1), 0, 1, 3))))
}))
usch <- setNames(rn(nsch, 0, 2), sprintf("S%02d", 1:nsch))
ucl <- rn(nrow(ne), 0, 1)
ne$y <- round(3 + 0.7 * ne$x + usch[ne$school] + ave(ucl, ne$school, ne$class, FUN = function(z) z[1]) + rnorm(nrow(ne), 0, 1), 4)
write_data(ne, "nested.csv")
add(fit_case("nested", "nested.csv", "y ~ x + (1 | school/class)", list()))

# Singular: random slopes without slope variance.
set.seed(34)
np <- 30
sg2 <- expand.grid(valence = c("bad", "good"), rep = 1:3, i = 1:np, stringsAsFactors = FALSE)
sg2$pid <- sprintf("P%02d", sg2$i); sg2$i <- NULL
b0 <- rn(np, 0, 2)
sg2$update <- round(4 + 2 * (sg2$valence == "good") + b0[as.integer(substr(sg2$pid, 2, 3))] + rnorm(nrow(sg2), 0, 2), 4)
write_data(sg2, "singular_slope.csv")
add(fit_case("singular_slope", "singular_slope.csv", "update ~ valence + (1 + valence | pid)", list(valence = c("bad", "good")),
             note = "no slope variance in the data: boundary fit"))

# Rank deficient with random slopes: empty cell and a collinear covariate.
set.seed(35)
np <- 36
rd <- expand.grid(valence = c("bad", "good"), session = c("pre", "post1", "post2"), i = 1:np, stringsAsFactors = FALSE)
rd$pid <- sprintf("R%02d", rd$i)
rd$group <- ifelse(rd$i <= np / 2, "HC", "TRD")
agev <- round(runif(np, 18, 65)); rd$age <- agev[rd$i]; rd$age_months <- 12 * rd$age
bb0 <- rn(np, 0, 3); bb1 <- rn(np, 0, 1.5)
rd$update <- round(4 + (rd$group == "TRD") - 2 * (rd$session != "pre") + 3 * (rd$valence == "good") + 0.02 * rd$age +
                     bb0[rd$i] + bb1[rd$i] * (rd$valence == "good") + rnorm(nrow(rd), 0, 2), 4)
rd$i <- NULL
rd <- rd[!(rd$group == "TRD" & rd$session == "post2"), ]
write_data(rd, "rank_deficient_slope.csv")
add(fit_case("rank_deficient_slope", "rank_deficient_slope.csv",
             "update ~ group * session + valence + age + age_months + (1 + valence | pid)",
             list(group = c("HC", "TRD"), session = c("pre", "post1", "post2"), valence = c("bad", "good")),
             emm = list(factor = "valence", by = c("group", "session"))))

# ---------------------------------------------------------------------------
# Belief-updating studies (rows as the kit's pipeline builds them; see the header).
bu <- list(group = c("HC", "TRD"), session = c("pre", "post1"), valence = c("bad", "good"))
emm_bu <- list(factor = "valence", by = c("group", "session"))
fixed_bu <- "update ~ group * session * valence + age + education"
add(fit_case("ketamine_cells_intercept", "ketamine/cells.csv", paste(fixed_bu, "+ (1 | participant_id)"), bu, emm = emm_bu))
add(fit_case("ketamine_cells_slope", "ketamine/cells.csv", paste(fixed_bu, "+ (1 + valence | participant_id)"), bu, emm = emm_bu,
             contrasts = list(list(name = "TRD - HC, good news at post1",
                                   L = list(list(groupTRD = 1, `groupTRD:valencegood` = 1, `groupTRD:sessionpost1` = 1,
                                                 `groupTRD:sessionpost1:valencegood` = 1))))))
add(fit_case("ketamine_cells_diag", "ketamine/cells.csv", paste(fixed_bu, "+ (1 + valence || participant_id)"), bu))
add(fit_case("ketamine_trials_crossed", "ketamine/trials.csv",
             "update ~ group * session * valence + (1 | participant_id) + (1 | event_id)", bu, emm = emm_bu))
add(fit_case("sim60_trials_slope_crossed", "sim60/trials.csv",
             "update ~ group * session * valence + age + (1 + valence | participant_id) + (1 | event_id)", bu, emm = emm_bu))
add(fit_case("sim60_cells_slope_ml", "sim60/cells.csv", paste(fixed_bu, "+ (1 + valence | participant_id)"), bu, reml = FALSE))

ref <- list(
  generated_by = "test/r/lmm_general_reference.R",
  R_version = R.version.string,
  lme4_version = as.character(packageVersion("lme4")),
  lmerTest_version = as.character(packageVersion("lmerTest")),
  emmeans_version = as.character(packageVersion("emmeans")),
  optimizer = "opt_tight: opt_theta (1-D) or minqa::bobyqa rhoend 1e-12 then a restart with rhobeg 1e-4, rhoend 1e-14",
  cases = cases
)
writeLines(toJSON(ref, auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null", na = "null"),
           file.path(out_dir, "reference.json"))
cat("wrote", length(cases), "cases to", out_dir, "\n")
