/**
 * "Reproduce in R": the files of a belief-updating analysis (the scored trials, the cells, the
 * participants with their covariates, the clinical scores, the kit's per-participant fits) and an R
 * script, reproduce.R, that recomputes from them, independently of the kit,
 *
 *   - the scoring of every trial (news valence and update from E1, BR, E2 and the event's valence),
 *   - the cell means, and the least-squares learning rates per participant-session (lm),
 *   - the learning-rate summaries and the summed BIC of the least-squares models,
 *   - the mixed model with lme4 + lmerTest (REML, Satterthwaite df; type III/II F tests when the
 *     document has them; VarCorr),
 *   - the within-participant mediation (Montoya & Hayes 2017): paths, Sobel test, and the bootstrap
 *     with the kit's own resamples (its linear congruential generator, started where the kit starts
 *     it) so that the percentile and BCa intervals are the same numbers, and the sensitivity ρ,
 *
 * and prints each beside the kit's number with the difference, writing every row to
 * reproduce_check.csv. Hierarchical (MAP) and Bayesian (variational) fits are not least squares:
 * their rates are not recomputed, and the mediation then uses the kit's asymmetries (fits.csv).
 * Pure (strings only): the command line writes the files, the dashboard may zip them.
 */
import type { AnalysisResult } from "../analysis/pipeline.js";
import type { AnalysisDocument } from "../analysis/report.js";
import { covariateValue } from "../analysis/design.js";
import { lcgStartState } from "../mediation/index.js";
import type { Study } from "../study/types.js";
import { KIT_NAME } from "./paragraphs.js";
import { R_PREAMBLE } from "./r-common.js";
import { rBool, rDataFrame, rNum, rStr, rStrVec, rVec } from "./r-literals.js";
import { fitRow, toCsv, type Cell } from "./tables.js";

export interface RBundle {
  /** File name -> content; reproduce.R first. */
  files: Record<string, string>;
}

const cols = (keys: string[]) => keys.map((key) => ({ key, kind: "text" as const }));
function csv(keys: string[], rows: Record<string, Cell>[]): string {
  return toCsv(cols(keys), rows);
}

const LS = new Set(["single", "valence", "scaling-asymmetry", "ee-weighted"]);

/** The R bundle of a belief-updating analysis. `doc` is analysisDocument(study, result). */
export function analysisRBundle(study: Study, result: AnalysisResult, doc: AnalysisDocument): RBundle {
  const positive = new Set(doc.design.positive_events);
  const groupOf = new Map(study.participants.map((p) => [p.participant_id, p.group]));
  const trials = result.scored.trials.map((t) => ({
    participant_id: t.participant_id,
    group: groupOf.get(t.participant_id) ?? "",
    session: t.session,
    event_id: t.event_id,
    event_valence: positive.has(t.event_id) ? "positive" : "negative",
    e1: t.e1,
    br: t.br,
    e2: t.e2,
    valence: t.valence,
    update: t.update,
  }));
  const cells = result.describe.cells.map((c) => ({ participant_id: c.participant_id, group: c.group, session: c.session, valence: c.valence, update: c.update, n_trials: c.n_trials }));
  const covs = doc.design.covariates;
  const participants = study.participants.map((p) => ({ participant_id: p.participant_id, group: p.group, ...Object.fromEntries(covs.map((c) => [c.name, covariateValue(p, c)])) }));
  const paramKeys = [...new Set(result.fit.fits.flatMap((f) => Object.keys(f.params)))];
  const fits = result.fit.fits.map((f) => fitRow(f, paramKeys));
  const files: Record<string, string> = {};
  files["reproduce.R"] = analysisRScript(doc, { hasClinical: study.clinical.length > 0 });
  files["scored_trials.csv"] = csv(["participant_id", "group", "session", "event_id", "event_valence", "e1", "br", "e2", "valence", "update"], trials);
  files["cells.csv"] = csv(["participant_id", "group", "session", "valence", "update", "n_trials"], cells);
  files["participants.csv"] = csv(["participant_id", "group", ...covs.map((c) => c.name)], participants as Record<string, Cell>[]);
  files["fits.csv"] = csv(["participant_id", "session", "model", "method", "alpha_good", "alpha_bad", "asymmetry", "n_good", "n_bad", "sigma", "loglik", "bic", ...paramKeys.map((k) => `param_${k}`)], fits);
  if (study.clinical.length) files["clinical.csv"] = csv(["participant_id", "session", "score"], study.clinical.map((c) => ({ participant_id: c.participant_id, session: c.session, score: c.score })));
  return { files };
}

/** The kit's numbers as R literals (the part of reproduce.R that is data). */
function kitBlock(doc: AnalysisDocument): string {
  const o = doc.options;
  const l = doc.lmm;
  const md = doc.mediation;
  const out: string[] = [];
  out.push(`kit <- list()`);
  out.push(
    `kit$options <- list(model = ${rStr(o.model)}, hierarchical = ${rBool(o.hierarchical)}, level = ${rStr(o.lmm_level)}, lmm_sessions = ${rStrVec(l.sessions)}, formula = ${rStr(l.formula)},\n  groups = ${rStrVec(doc.design.groups)}, sessions = ${rStrVec(doc.study.sessions)},\n  mediation_group = ${rStr(md.not_applicable ? null : md.group)}, mediator_sessions = ${rStrVec(md.mediator ? [md.mediator.from, md.mediator.to] : [])}, outcome_sessions = ${rStrVec(md.outcome ? [md.outcome.from, md.outcome.to] : [])},\n  boot = ${rNum(o.boot)}, seed = ${rNum(o.seed)}, lcg_start = ${rNum(lcgStartState(o.seed) >>> 0)})`,
  );
  out.push(`kit$scored <- ${rNum(doc.scoring.scored)}`);
  out.push(`kit$lr_summary <- ${rDataFrame(doc.learning_rate_summary as unknown as Record<string, unknown>[], ["group", "session", "valence", "mean", "sem", "n"])}`);
  out.push(`kit$bic <- ${doc.model_comparison ? rDataFrame(doc.model_comparison.totals as unknown as Record<string, unknown>[], ["model", "n_fits", "sum_bic"]) : "NULL"}`);
  if (!l.error) {
    out.push(`kit$lmm <- ${rDataFrame(l.fixed.map((r) => ({ term: r.term, estimate: r.estimate, se: r.se, df: r.df, t: r.t, p: r.p, ci_low: r.ci?.[0] ?? null, ci_high: r.ci?.[1] ?? null })), ["term", "estimate", "se", "df", "t", "p", "ci_low", "ci_high"])}`);
    out.push(`kit$lmm_fit <- list(n_obs = ${rNum(l.n_obs)}, reml_criterion = ${rNum(l.reml_criterion)}, singular = ${rBool(l.singular)}, participant_sd = ${rNum(l.random?.participant_sd)}, residual_sd = ${rNum(l.random?.residual_sd)})`);
    const anova = ((l as { anova?: unknown[] }).anova ?? []) as Record<string, unknown>[];
    out.push(`kit$anova <- ${anova.length ? rDataFrame(anova, ["term", "type", "num_df", "den_df", "F", "p"]) : "NULL"}`);
    const vc = ((l as { varcorr?: unknown[] }).varcorr ?? []) as Record<string, unknown>[];
    out.push(`kit$varcorr <- ${vc.length ? rDataFrame(vc, ["grp", "var1", "var2", "vcov", "sdcor"]) : "NULL"}`);
  } else out.push(`kit$lmm <- NULL`);
  if (md.paths) {
    const P = md.paths;
    out.push(
      `kit$mediation <- list(n = ${rNum(md.n)}, a = ${rNum(md.a)}, b = ${rNum(md.b)}, c = ${rNum(md.c)}, c_prime = ${rNum(md.c_prime)}, d = ${rNum(P.m_mean.estimate)}, indirect = ${rNum(md.indirect)},\n  se_a = ${rNum(P.a.se)}, se_b = ${rNum(P.b.se)}, se_c = ${rNum(P.c.se)}, se_c_prime = ${rNum(P.c_prime.se)}, p_a = ${rNum(P.a.p)}, p_b = ${rNum(P.b.p)}, p_c = ${rNum(P.c.p)}, p_c_prime = ${rNum(P.c_prime.p)},\n  sobel_se = ${rNum(md.sobel_se)}, sobel_z = ${rNum(md.sobel_z)}, sobel_p = ${rNum(md.sobel_p)},\n  boot_se = ${rNum(md.boot?.se)}, boot_valid = ${rNum(md.boot?.valid)}, percentile = ${rVec(md.boot?.percentile ?? [null, null])}, bca = ${rVec(md.boot?.bca ?? [null, null])}, rho_zero = ${rNum(md.sensitivity?.rho_zero)})`,
    );
  } else out.push(`kit$mediation <- NULL`);
  return out.join("\n");
}

/** reproduce.R of a belief-updating analysis. */
export function analysisRScript(doc: AnalysisDocument, options: { hasClinical: boolean }): string {
  const s = doc.study;
  const ls = LS.has(doc.options.model) && !doc.options.hierarchical;
  return `#!/usr/bin/env Rscript
# Reproduces in R the numbers of ${KIT_NAME} ${doc.kit_version}'s analysis of
#   ${s.title.replace(/\n/g, " ")} (${s.id})${s.synthetic ? "\n#   SYNTHETIC DATA: a simulated cohort, not patient data." : ""}
# and prints each beside the kit's number, with the difference (all rows: reproduce_check.csv).
#
#   Rscript reproduce.R        (R >= 4.0 with lme4 and lmerTest; run next to the CSV files)
#
# Files: scored_trials.csv (the trials kept by the scoring: E1, BR = the reference of the news, E2),
# cells.csv (the kit's participant x session x valence means), participants.csv (group, covariates),
# fits.csv (the kit's fits per participant-session)${options.hasClinical ? ", clinical.csv (the clinical scores)" : ""}.
# Generated from the analysis document; the kit's numbers are the literals in 'kit' below.
${R_PREAMBLE}
${kitBlock(doc)}

trials <- read_csv("scored_trials.csv", c("participant_id", "group", "session", "event_id", "event_valence", "valence"))
cells_kit <- read_csv("cells.csv", c("participant_id", "group", "session", "valence"))
participants <- read_csv("participants.csv", c("participant_id", "group"))
fits_kit <- read_csv("fits.csv", c("participant_id", "session", "model", "method"))
cat(sprintf("%s: %d scored trials, %d participants, model %s%s\\n\\n", ${rStr(s.id)}, nrow(trials), nrow(participants), kit$options$model, if (kit$options$hierarchical) " (hierarchical)" else ""))

# ---- 1. Scoring: news valence and update from E1, BR, E2 and the event's valence ---------------------
below <- trials$br < trials$e1
good <- xor(below, trials$event_valence == "positive")
update <- ifelse(below, trials$e1 - trials$e2, trials$e2 - trials$e1)
compare("scoring", "trials scored", kit$scored, nrow(trials))
compare("scoring", "trials whose valence differs", 0, sum(ifelse(good, "good", "bad") != trials$valence))
compare("scoring", "largest |update difference|", 0, max(abs(update - trials$update)))
show_checks("scoring")

# ---- 2. Cell means ------------------------------------------------------------------------------------
cells <- aggregate(update ~ participant_id + session + valence, data = data.frame(participant_id = trials$participant_id, session = trials$session, valence = ifelse(good, "good", "bad"), update = update), FUN = mean)
key <- function(d) paste(d$participant_id, d$session, d$valence, sep = "|")
m <- match(key(cells_kit), key(cells))
compare("cells", key(cells_kit), cells_kit$update, cells$update[m])
compare("cells", "number of cells", nrow(cells_kit), nrow(cells))
cat("Cell means: largest difference", formatC(max(abs(cells_kit$update - cells$update[m])), digits = 2, format = "e"), "over", nrow(cells_kit), "cells\\n\\n")

# ---- 3. Least-squares learning rates per participant-session (lm) ------------------------------------
# y = E2 - E1, x = BR - E1; good news: BR < E1 (adverse event) or BR > E1 (desirable event).
#   single             y ~ 0 + x
#   valence            y ~ 0 + x[good] + x[bad]
#   scaling-asymmetry  y ~ 0 + x + N x   (N = +1 good, -1 bad): alpha_good = s + k, alpha_bad = s - k
#   ee-weighted        y ~ 0 + x[good] + x[bad] + z x,  z = (|x| - mean|x|) / sd|x| (divisor n; 0 when sd = 0)
fit_ls <- function(d, model) {
  y <- d$e2 - d$e1; x <- d$br - d$e1; g <- d$good
  xg <- ifelse(g, x, 0); xb <- ifelse(g, 0, x)
  if (model == "single") X <- cbind(alpha = x)
  else if (model == "valence") X <- cbind(alpha_good = xg, alpha_bad = xb)
  else if (model == "scaling-asymmetry") X <- cbind(s = x, k = ifelse(g, 1, -1) * x)
  else {
    a <- abs(x); sdp <- sqrt(mean((a - mean(a))^2))
    z <- if (sdp > 0) (a - mean(a)) / sdp else 0 * a
    X <- cbind(alpha_good = xg, alpha_bad = xb, beta = z * x)
  }
  keep <- colSums(X != 0) > 0
  cf <- setNames(rep(NA_real_, ncol(X)), colnames(X))
  fit <- if (any(keep)) lm.fit(X[, keep, drop = FALSE], y) else NULL
  if (!is.null(fit)) cf[keep] <- fit$coefficients
  rss <- if (is.null(fit)) sum(y^2) else sum(fit$residuals^2)
  k <- sum(!is.na(cf)) + 1; n <- length(y)
  exact <- rss <= 1e-10 * sum(y^2)
  sigma <- if (exact) NA else sqrt(rss / n)
  loglik <- if (exact) NA else -n / 2 * (log(2 * pi * sigma^2) + 1)
  ag <- switch(model, single = cf[["alpha"]], "scaling-asymmetry" = cf[["s"]] + cf[["k"]], cf[["alpha_good"]])
  ab <- switch(model, single = cf[["alpha"]], "scaling-asymmetry" = cf[["s"]] - cf[["k"]], cf[["alpha_bad"]])
  if (!any(g)) ag <- NA
  if (all(g)) ab <- NA
  c(alpha_good = unname(ag), alpha_bad = unname(ab), asymmetry = unname(ag - ab), sigma = sigma, loglik = loglik, bic = k * log(n) - 2 * loglik)
}
trials$good <- good
ps <- unique(trials[, c("participant_id", "session")])
ps_rows <- split(seq_len(nrow(trials)), paste(trials$participant_id, trials$session, sep = "|"))
ls_fits <- function(model) {
  r <- t(sapply(paste(ps$participant_id, ps$session, sep = "|"), function(k) fit_ls(trials[ps_rows[[k]], ], model)))
  cbind(ps, as.data.frame(r, row.names = FALSE))
}
fits_r <- ls_fits(${rStr(ls ? doc.options.model : "valence")})
fk <- match(paste(fits_kit$participant_id, fits_kit$session), paste(fits_r$participant_id, fits_r$session))
${
  ls
    ? `for (q in c("alpha_good", "alpha_bad", "asymmetry", "sigma", "loglik", "bic"))
  compare(paste("fits", q), paste(fits_kit$participant_id, fits_kit$session), fits_kit[[q]], fits_r[[q]][fk])
cat("Least-squares fits (", kit$options$model, "model ):\\n")
show_checks(paste("fits", c("alpha_good", "alpha_bad", "asymmetry", "sigma", "loglik", "bic")), max_rows = 6)

# ---- 4. Group means of the learning rates ----------------------------------------------------------
fits_r$group <- participants$group[match(fits_r$participant_id, participants$participant_id)]
for (i in seq_len(nrow(kit$lr_summary))) {
  r <- kit$lr_summary[i, ]
  x <- fits_r[[paste0("alpha_", r$valence)]][fits_r$group == r$group & fits_r$session == r$session]
  x <- x[!is.na(x)]
  item <- paste(r$group, r$session, r$valence)
  compare("learning-rate means", item, r$mean, mean(x))
  compare("learning-rate SEM", item, r$sem, if (length(x) > 1) sd(x) / sqrt(length(x)) else NA)
}
show_checks(c("learning-rate means", "learning-rate SEM"), max_rows = 12)`
    : `cat("The kit's fits are ${doc.options.hierarchical ? "hierarchical (empirical-Bayes MAP)" : "Bayesian (variational Laplace)"}, not least squares: they are not recomputed here;\\nthe mediation below uses the kit's asymmetries (fits.csv).\\n\\n")`
}
${
  doc.model_comparison
    ? `
# ---- 5. Model comparison: summed BIC of the least-squares models -----------------------------------
for (i in seq_len(nrow(kit$bic))) {
  f <- ls_fits(kit$bic$model[i])
  compare("summed BIC", kit$bic$model[i], kit$bic$sum_bic[i], sum(f$bic, na.rm = TRUE))
}
show_checks("summed BIC")`
    : ""
}
${doc.lmm.error ? `cat("The kit could not fit the mixed model: nothing to compare.\\n")` : lmmR()}
${doc.mediation.paths ? mediationR(ls) : `cat("No mediation to reproduce: ${(doc.mediation.not_applicable ?? doc.mediation.error ?? "").replace(/["\\]/g, "")}\\n\\n")`}
finish()
`;
}

function lmmR(): string {
  return String.raw`
# ---- 6. The mixed model (lme4 + lmerTest: REML, Satterthwaite df) ----------------------------------
lmm_data <- if (kit$options$level == "trials") {
  data.frame(participant_id = trials$participant_id, session = trials$session, event_id = trials$event_id, valence = ifelse(good, "good", "bad"), update = update, stringsAsFactors = FALSE)
} else cells
lmm_data <- merge(lmm_data, participants, by = "participant_id")
lmm_data <- lmm_data[lmm_data$session %in% kit$options$lmm_sessions, ]
present <- kit$options$groups[kit$options$groups %in% unique(lmm_data$group)]
lmm_data$group <- factor(lmm_data$group, levels = present)
lmm_data$session <- factor(lmm_data$session, levels = kit$options$lmm_sessions)
lmm_data$valence <- factor(lmm_data$valence, levels = c("bad", "good"))
lmm_data$participant_id <- factor(lmm_data$participant_id)
if ("event_id" %in% names(lmm_data)) lmm_data$event_id <- factor(lmm_data$event_id)
fit <- lmerTest::lmer(as.formula(kit$options$formula), data = lmm_data, REML = TRUE, control = ctrl_tight)
cs <- coef(summary(fit))
tq <- qt(0.975, cs[, "df"])
r_lmm <- data.frame(term = rownames(cs), estimate = cs[, "Estimate"], se = cs[, "Std. Error"], df = cs[, "df"], t = cs[, "t value"], p = cs[, "Pr(>|t|)"],
                    ci_low = cs[, "Estimate"] - tq * cs[, "Std. Error"], ci_high = cs[, "Estimate"] + tq * cs[, "Std. Error"], stringsAsFactors = FALSE)
cat("Mixed model:", kit$options$formula, "\n")
print(summary(fit)$coefficients, digits = 6)
cat("\n")
m <- match(kit$lmm$term, r_lmm$term)
for (q in c("estimate", "se", "df", "t", "p", "ci_low", "ci_high")) compare(paste("lmm", q), kit$lmm$term, kit$lmm[[q]], r_lmm[[q]][m])
compare("lmm fit", "observations", kit$lmm_fit$n_obs, nobs(fit))
compare("lmm fit", "REML criterion", kit$lmm_fit$reml_criterion, REMLcrit(fit))
compare("lmm fit", "singular (1 = yes)", as.numeric(kit$lmm_fit$singular), as.numeric(isSingular(fit)))
vc <- as.data.frame(VarCorr(fit))
if (!is.null(kit$varcorr)) {
  kv <- paste(kit$varcorr$grp, kit$varcorr$var1, kit$varcorr$var2)
  rv <- paste(vc$grp, vc$var1, vc$var2)
  compare("lmm varcorr", kv, kit$varcorr$sdcor, vc$sdcor[match(kv, rv)])
} else {
  compare("lmm varcorr", "residual SD", kit$lmm_fit$residual_sd, sigma(fit))
  compare("lmm varcorr", "participant SD", kit$lmm_fit$participant_sd, vc$sdcor[vc$grp == "participant_id" & vc$var1 == "(Intercept)" & is.na(vc$var2)][1])
}
show_checks(c("lmm estimate", "lmm se", "lmm df", "lmm p", "lmm fit", "lmm varcorr"), max_rows = 60)
if (!is.null(kit$anova)) {
  for (type in unique(kit$anova$type)) {
    a <- as.data.frame(anova(fit, type = type, ddf = "Satterthwaite"))
    k <- kit$anova[kit$anova$type == type, ]
    m <- match(k$term, rownames(a))
    compare(paste("anova F, type", type), k$term, k$F, a[["F value"]][m])
    compare(paste("anova den_df, type", type), k$term, k$den_df, a[["DenDF"]][m])
    compare(paste("anova p, type", type), k$term, k$p, a[["Pr(>F)"]][m])
  }
  show_checks(paste("anova F, type", unique(kit$anova$type)))
}
`;
}

function mediationR(ls: boolean): string {
  return `
# ---- 7. Within-participant mediation (Montoya & Hayes 2017) ----------------------------------------
# dM = asymmetry(to) - asymmetry(from), dY = score(to) - score(from), z = mean of the two asymmetries, centred.
# a = mean(dM), c = mean(dY); lm(dY ~ dM + z): b = slope of dM, c' = intercept; Sobel SE = sqrt(a^2 SE_b^2 + b^2 SE_a^2).
clinical <- read_csv("clinical.csv", c("participant_id", "session"))
asym <- ${ls ? "fits_r" : "fits_kit"}   # ${ls ? "R's own least-squares asymmetries" : "the kit's asymmetries (not least squares)"}
g <- kit$options$mediation_group; ms <- kit$options$mediator_sessions; os <- kit$options$outcome_sessions
ids <- participants$participant_id[participants$group == g]          # the kit's order (participants.csv)
val <- function(d, col, s) { x <- d[d$session == s, ]; x[[col]][match(ids, x$participant_id)] }
rows <- data.frame(id = ids, m_from = val(asym, "asymmetry", ms[1]), m_to = val(asym, "asymmetry", ms[2]),
                   y_from = val(clinical, "score", os[1]), y_to = val(clinical, "score", os[2]), stringsAsFactors = FALSE)
cc <- rows[complete.cases(rows), ]
dM <- cc$m_to - cc$m_from; dY <- cc$y_to - cc$y_from; mb <- (cc$m_from + cc$m_to) / 2; z <- mb - mean(mb)
n <- nrow(cc)
fa <- summary(lm(dM ~ 1))$coefficients; fc <- summary(lm(dY ~ 1))$coefficients; fb <- summary(lm(dY ~ dM + z))$coefficients
a <- fa[1, 1]; b <- fb["dM", 1]
sobel_se <- sqrt(a^2 * fb["dM", 2]^2 + b^2 * fa[1, 2]^2)
med <- c(n = n, a = a, b = b, c = fc[1, 1], c_prime = fb["(Intercept)", 1], d = fb["z", 1], indirect = a * b,
         se_a = fa[1, 2], se_b = fb["dM", 2], se_c = fc[1, 2], se_c_prime = fb["(Intercept)", 2],
         p_a = fa[1, 4], p_b = fb["dM", 4], p_c = fc[1, 4], p_c_prime = fb["(Intercept)", 4],
         sobel_se = sobel_se, sobel_z = a * b / sobel_se, sobel_p = 2 * pnorm(-abs(a * b / sobel_se)))
for (q in names(med)) compare("mediation", q, kit$mediation[[q]], med[[q]])

# Sensitivity (Imai, Keele & Yamamoto 2010): the indirect effect is 0 at rho = cor of the residuals of dY ~ z and dM ~ z.
if (!is.na(kit$mediation$rho_zero)) compare("mediation sensitivity", "rho at which a*b = 0", kit$mediation$rho_zero, cor(resid(lm(dY ~ z)), resid(lm(dM ~ z))))

if (kit$options$boot > 0) {
  # The kit's resamples: d3-random's linear congruential generator, state = (1664525 state + 1013904223) mod 2^32
  # (exact in double precision), started at kit$options$lcg_start (from the seed); resample r draws
  # participant floor(n * state / 2^32) + 1, n times. So the replicates are the kit's, not R's own.
  B <- kit$options$boot
  draws <- numeric(B * n); state <- kit$options$lcg_start
  for (k in seq_along(draws)) { state <- (1664525 * state + 1013904223) %% 4294967296; draws[k] <- state }
  idx <- matrix(floor(draws / 4294967296 * n) + 1, nrow = B, byrow = TRUE)
  ab_of <- function(i) {
    f <- lm.fit(cbind(1, dM[i], mb[i]), dY[i])
    if (f$rank < 3) NA_real_ else mean(dM[i]) * unname(f$coefficients[2])
  }
  reps <- apply(idx, 1, ab_of)
  reps <- reps[is.finite(reps)]
  jack <- sapply(seq_len(n), function(i) ab_of(seq_len(n)[-i]))
  # BCa (Efron & Tibshirani 1993, sec. 14.3): ties with the estimate count one half; type-7 quantiles.
  t0 <- a * b
  tol <- 1e-10 * max(abs(t0), abs(range(reps)))
  z0 <- qnorm((sum(reps < t0 - tol) + 0.5 * sum(abs(reps - t0) <= tol)) / length(reps))
  dj <- mean(jack) - jack
  acc <- sum(dj^3) / (6 * sum(dj^2)^1.5)
  zs <- qnorm(c(0.025, 0.975))
  pb <- pnorm(z0 + (z0 + zs) / (1 - acc * (z0 + zs)))
  compare("mediation bootstrap", "valid resamples", kit$mediation$boot_valid, length(reps))
  compare("mediation bootstrap", "bootstrap SE", kit$mediation$boot_se, sd(reps))
  compare("mediation bootstrap", c("percentile low", "percentile high"), kit$mediation$percentile, unname(quantile(reps, c(0.025, 0.975), type = 7)))
  compare("mediation bootstrap", c("BCa low", "BCa high"), kit$mediation$bca, unname(quantile(reps, pb, type = 7)))
}
cat("Mediation in", g, "(n =", n, "):\\n")
show_checks(c("mediation", "mediation sensitivity", "mediation bootstrap"))
`;
}
