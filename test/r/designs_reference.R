#!/usr/bin/env Rscript
# Reference values for src/lib/designs/analyze.ts (crossover and parallel designs, docs/designs.md).
#
# Run from the repository root:  Rscript test/r/designs_reference.R
# Needs lme4, lmerTest, jsonlite. Deterministic (set.seed); re-running rewrites identical files.
#
# Writes
#   test/fixtures/designs/crossover-incomplete/{study.json,participants.csv,clinical.csv}
#       unbalanced sequences (5 AB, 4 BA), one participant with only one condition, missing cells,
#       a secondary scale, response threshold 0.4 at the last time point
#   test/fixtures/designs/parallel-missing/{study.json,participants.csv,clinical.csv}
#       20 treated / 10 control, a missing baseline, a missing post score, a zero baseline,
#       a reduction of exactly 30 % (threshold 0.3: a responder), three time points
#   test/fixtures/designs/reference.json   the analyses of these two folders and of the bundled
#       studies data/williams2018-naltrexone and data/murrough2013-midazolam
# (so after `npm run simulate -- --all` changes a bundled study, rerun this script).
#
# Definitions (must match src/lib/designs/analyze.ts):
#   change = score - baseline (baseline of the same participant and condition);
#   percent_reduction = 100 (baseline - score) / baseline (NA when baseline is 0);
#   responder = (baseline - score) >= threshold * baseline - 1e-9 * baseline, at time points after the baseline;
#   crossover: lmer(change ~ condition + period + (1 | participant_id)), condition levels = study.json order,
#     period levels 1, 2; Satterthwaite df (lmerTest), CI = estimate +- qt(0.975, df) se (contest);
#     theta polished by opt_theta (test/r/opt_theta.R);
#     McNemar: binom.test(b, b + c), b = responders under the first condition only, c = under the other only,
#     complete pairs; OR = b / c, CI = ci / (1 - ci) of the Clopper-Pearson interval;
#     carry-over (Grizzle 1965): lm(total ~ sequence), total = change(A) + change(B) of completers,
#     sequence levels = study.json order (equals t.test(var.equal = TRUE));
#   parallel: lm(score ~ arm + baseline), arm levels (reference, treatment); adjusted means = predict at the
#     mean baseline of the analysed rows; fisher.test(rbind(c(r_T, n_T - r_T), c(r_R, n_R - r_R)));
#     Woolf OR (0.5 added to every cell only when a cell is 0);
#   response rates: binom.test(responders, n)$conf.int.
# NA is written as "NA", Inf as "Inf" (jsonlite na = "string").

suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(jsonlite)
})

fix_dir <- file.path("test", "fixtures", "designs")
dir.create(fix_dir, recursive = TRUE, showWarnings = FALSE)

# Tight theta: opt_theta and ctrl (shared with the other reference scripts).
source(file.path("test", "r", "opt_theta.R"))

# ---------------------------------------------------------------- fixture folders
write_study <- function(dir, meta, participants, clinical) {
  dir.create(dir, recursive = TRUE, showWarnings = FALSE)
  writeLines(toJSON(meta, auto_unbox = TRUE, pretty = TRUE), file.path(dir, "study.json"))
  write.csv(participants, file.path(dir, "participants.csv"), row.names = FALSE, na = "", quote = FALSE)
  write.csv(clinical, file.path(dir, "clinical.csv"), row.names = FALSE, na = "", quote = FALSE)
}

# Crossover fixture
set.seed(20240917)
np <- 9
pid <- sprintf("C%02d", 1:np)
seq_of <- c(rep("AB", 5), rep("BA", 4))[c(1, 6, 2, 7, 3, 8, 4, 9, 5)]
meta_c <- list(
  id = "crossover-incomplete", title = "Crossover fixture", description = "Test fixture (synthetic).", citation = "",
  synthetic = TRUE, design = "crossover", conditions = c("placebo", "drug"),
  sequences = list(AB = c("placebo", "drug"), BA = c("drug", "placebo")),
  sessions = c("baseline", "week1", "week2"),
  clinical_scale = list(name = "MADRS", min = 0, max = 60),
  response = list(threshold = 0.4, session = "week2"),
  secondary_scales = list(list(column = "qids", name = "QIDS", min = 0, max = 27))
)
part_c <- data.frame(participant_id = pid, group = seq_of, age = round(runif(np, 25, 60)),
                     sex = sample(c("F", "M"), np, replace = TRUE), education_years = round(runif(np, 9, 18)))
rows <- list()
for (i in 1:np) {
  sev <- rnorm(1, 30, 5); u <- rnorm(1, 0, 0.15)
  conds <- meta_c$sequences[[seq_of[i]]]
  for (k in 1:2) {
    if (pid[i] == "C09" && k == 2) next  # C09 (sequence AB) stops after period 1
    cond <- conds[k]
    base <- round(sev + rnorm(1, 0, 2))
    q0 <- min(27, round(0.6 * base + rnorm(1, 0, 1.5)))
    for (s in meta_c$sessions) {
      red <- if (s == "baseline") 0 else (if (cond == "drug") 0.35 else 0.15) + (s == "week2") * 0.05 + 0.04 * (k == 2) + u + rnorm(1, 0, 0.12)
      rows[[length(rows) + 1]] <- data.frame(participant_id = pid[i], condition = cond, period = k, session = s,
        score = max(0, round(base * (1 - red))), qids = max(0, min(27, round(q0 * (1 - red + rnorm(1, 0, 0.08))))))
    }
  }
}
clin_c <- do.call(rbind, rows)
clin_c$score[clin_c$participant_id == "C03" & clin_c$condition == "drug" & clin_c$session == "week2"] <- NA
clin_c$qids[clin_c$participant_id == "C05" & clin_c$condition == "placebo" & clin_c$session == "week1"] <- NA
write_study(file.path(fix_dir, "crossover-incomplete"), meta_c, part_c, clin_c)

# Parallel fixture
set.seed(5150)
np <- 30
pid <- sprintf("P%02d", 1:np)
arm <- sample(c(rep("treated", 20), rep("control", 10)))
meta_p <- list(
  id = "parallel-missing", title = "Parallel fixture", description = "Test fixture (synthetic).", citation = "",
  synthetic = TRUE, design = "parallel", groups = list(reference = "control", treatment = "treated"),
  sessions = c("baseline", "day1", "day7"),
  clinical_scale = list(name = "MADRS", min = 0, max = 60),
  response = list(threshold = 0.3, session = "day7")
)
part_p <- data.frame(participant_id = pid, group = arm, age = round(runif(np, 25, 60)),
                     sex = sample(c("F", "M"), np, replace = TRUE), education_years = round(runif(np, 9, 18)))
base <- round(rnorm(np, 28, 6))
d1 <- pmax(0, round(base + ifelse(arm == "treated", -9, -4) + rnorm(np, 0, 6)))
d7 <- pmax(0, round(base + ifelse(arm == "treated", -7, -3) + rnorm(np, 0, 7)))
# hand-made edge cases
base[pid == "P04"] <- 10; d7[pid == "P04"] <- 7           # exactly 30 % reduction: responder
base[pid == "P11"] <- 0; d1[pid == "P11"] <- 2; d7[pid == "P11"] <- 0   # zero baseline: no percent, no response
base[pid == "P17"] <- NA                                  # missing baseline
d1[pid == "P23"] <- NA                                    # missing day-1 score
clin_p <- data.frame(participant_id = rep(pid, each = 3), session = rep(meta_p$sessions, np),
                     score = as.vector(rbind(base, d1, d7)))
write_study(file.path(fix_dir, "parallel-missing"), meta_p, part_p, clin_p)

# ---------------------------------------------------------------- analyses
read_study <- function(dir) {
  meta <- fromJSON(file.path(dir, "study.json"), simplifyVector = FALSE)
  part <- read.csv(file.path(dir, "participants.csv"), stringsAsFactors = FALSE, colClasses = c(participant_id = "character", group = "character"))
  clin <- read.csv(file.path(dir, "clinical.csv"), stringsAsFactors = FALSE, colClasses = c(participant_id = "character"))
  list(meta = meta, part = part, clin = clin)
}

scales_of <- function(meta) {
  s <- list(list(column = "score", name = meta$clinical_scale$name))
  for (x in meta$secondary_scales) s[[length(s) + 1]] <- list(column = x$column, name = x$name)
  s
}

# per participant x condition x scale x session
outcomes <- function(st) {
  meta <- st$meta; crossover <- meta$design == "crossover"
  thr <- if (is.null(meta$response$threshold)) 0.5 else meta$response$threshold
  sessions <- unlist(meta$sessions)
  out <- list()
  for (i in seq_len(nrow(st$part))) {
    p <- st$part$participant_id[i]
    conds <- if (crossover) unlist(meta$conditions) else st$part$group[i]
    for (cond in conds) {
      rows <- st$clin[st$clin$participant_id == p & (if (crossover) st$clin$condition == cond else TRUE), ]
      if (nrow(rows) == 0) next
      for (sc in scales_of(meta)) {
        b <- rows[[sc$column]][rows$session == sessions[1]]
        if (length(b) == 0) b <- NA
        for (s in sessions) {
          y <- rows[[sc$column]][rows$session == s]
          if (length(y) == 0) y <- NA
          ch <- y - b
          pr <- if (is.na(b) || b == 0) NA else 100 * (b - y) / b
          resp <- if (s == sessions[1] || is.na(b) || is.na(y) || b == 0) NA else (b - y) >= thr * b - 1e-9 * abs(b)
          out[[length(out) + 1]] <- data.frame(participant_id = p, group = st$part$group[i], condition = cond,
            period = if (crossover) rows$period[1] else NA, scale = sc$name, session = s,
            baseline = b, score = y, change = ch, percent_reduction = pr, responder = resp, stringsAsFactors = FALSE)
        }
      }
    }
  }
  do.call(rbind, out)
}

sd_or_na <- function(x) if (length(x) < 2) NA else sd(x)
mean_or_na <- function(x) if (length(x) == 0) NA else mean(x)

summary_ref <- function(o, meta, conds) {
  out <- list()
  for (sc in scales_of(meta)) for (cond in conds) for (s in unlist(meta$sessions)) {
    cell <- o[o$scale == sc$name & o$condition == cond & o$session == s, ]
    sc_ <- cell$score[!is.na(cell$score)]; ch <- cell$change[!is.na(cell$change)]; pr <- cell$percent_reduction[!is.na(cell$percent_reduction)]
    out[[length(out) + 1]] <- list(scale = sc$name, condition = cond, session = s, n = length(sc_),
      mean_score = mean_or_na(sc_), sd_score = sd_or_na(sc_), n_change = length(ch), mean_change = mean_or_na(ch),
      sd_change = sd_or_na(ch), sem_change = if (length(ch) < 2) NA else sd(ch) / sqrt(length(ch)),
      mean_percent_reduction = mean_or_na(pr))
  }
  out
}

response_ref <- function(o, meta, conds) {
  rs <- meta$response$session
  lapply(conds, function(cond) {
    cell <- o[o$scale == meta$clinical_scale$name & o$session == rs & o$condition == cond, ]
    r <- cell$responder[!is.na(cell$responder)]
    ci <- if (length(r) > 0) as.numeric(binom.test(sum(r), length(r))$conf.int) else c(NA, NA)
    list(condition = cond, responders = sum(r), n = length(r), rate = if (length(r)) mean(r) else NA,
         missing = sum(is.na(cell$responder)), ci = ci)
  })
}

crossover_ref <- function(st) {
  meta <- st$meta; o <- outcomes(st); conds <- unlist(meta$conditions); seqs <- names(meta$sequences)
  models <- list(); carry <- list()
  for (sc in scales_of(meta)) for (s in unlist(meta$sessions)[-1]) {
    d <- o[o$scale == sc$name & o$session == s & !is.na(o$change), ]
    d$condition <- factor(d$condition, levels = conds)
    d$period <- factor(as.character(d$period), levels = c("1", "2"))
    fit <- lmerTest::lmer(change ~ condition + period + (1 | participant_id), data = d, REML = TRUE, control = ctrl)
    cs <- coef(summary(fit))
    ci <- contest(fit, diag(nrow(cs)), joint = FALSE, confint = TRUE, level = 0.95)
    vc <- as.data.frame(VarCorr(fit))
    models[[length(models) + 1]] <- list(scale = sc$name, session = s, n_obs = nobs(fit), n_groups = unname(ngrps(fit)[1]),
      theta = unname(getME(fit, "theta")), sigma = sigma(fit), participant_sd = vc$sdcor[vc$grp != "Residual"],
      reml_criterion = unname(REMLcrit(fit)), singular = isSingular(fit),
      fixed = lapply(seq_len(nrow(cs)), function(i) list(term = rownames(cs)[i], estimate = cs[i, "Estimate"],
        se = cs[i, "Std. Error"], df = cs[i, "df"], t = cs[i, "t value"], p = cs[i, "Pr(>|t|)"], ci = c(ci$lower[i], ci$upper[i]))))
    # Grizzle carry-over test on completers' totals
    a <- o[o$scale == sc$name & o$session == s & o$condition == conds[1], c("participant_id", "group", "change")]
    b <- o[o$scale == sc$name & o$session == s & o$condition == conds[2], c("participant_id", "change")]
    m <- merge(a, b, by = "participant_id")
    m <- m[!is.na(m$change.x) & !is.na(m$change.y), ]
    m$total <- m$change.x + m$change.y
    m$sequence <- factor(m$group, levels = seqs)
    lf <- lm(total ~ sequence, data = m)
    cf <- coef(summary(lf)); ci2 <- confint(lf)
    tt <- t.test(total ~ sequence, data = m, var.equal = TRUE)
    carry[[length(carry) + 1]] <- list(scale = sc$name, session = s,
      sequences = lapply(seqs, function(q) { x <- m$total[m$sequence == q]; list(sequence = q, n = length(x), mean_total = mean_or_na(x), sd_total = sd_or_na(x)) }),
      estimate = cf[2, 1], se = cf[2, 2], df = lf$df.residual, t = cf[2, 3], p = cf[2, 4], ci = as.numeric(ci2[2, ]),
      t_test_p = tt$p.value, t_test_t = -unname(tt$statistic))
  }
  # McNemar at the response time point
  rs <- meta$response$session
  ra <- o[o$scale == meta$clinical_scale$name & o$session == rs & o$condition == conds[1], c("participant_id", "responder")]
  rb <- o[o$scale == meta$clinical_scale$name & o$session == rs & o$condition == conds[2], c("participant_id", "responder")]
  all_ids <- st$part$participant_id
  xa <- ra$responder[match(all_ids, ra$participant_id)]; xb <- rb$responder[match(all_ids, rb$participant_id)]
  cc <- !is.na(xa) & !is.na(xb)
  bb <- sum(xa[cc] & !xb[cc]); c_ <- sum(!xa[cc] & xb[cc])
  bt <- if (bb + c_ > 0) binom.test(bb, bb + c_) else NULL
  mc <- list(both = sum(xa[cc] & xb[cc]), onlyA = bb, onlyB = c_, neither = sum(!xa[cc] & !xb[cc]), n_pairs = sum(cc),
    n_incomplete = sum(!cc), p = if (is.null(bt)) 1 else bt$p.value,
    odds_ratio = if (bb + c_ == 0) NA else bb / c_,
    ci = if (is.null(bt)) c(NA, NA) else as.numeric(bt$conf.int) / (1 - as.numeric(bt$conf.int)))
  o_out <- o; o_out$responder <- ifelse(is.na(o_out$responder), NA, o_out$responder)
  list(id = meta$id, design = "crossover", per_participant = o_out, summary = summary_ref(o, meta, conds),
       response = response_ref(o, meta, conds), models = models, carryover = carry, mcnemar = mc)
}

parallel_ref <- function(st) {
  meta <- st$meta; o <- outcomes(st)
  ref <- meta$groups$reference; trt <- meta$groups$treatment
  conds <- c(ref, trt)
  anc <- list()
  for (sc in scales_of(meta)) for (s in unlist(meta$sessions)[-1]) {
    d <- o[o$scale == sc$name & o$session == s, ]
    d <- d[!is.na(d$baseline) & !is.na(d$score), ]
    d$arm <- factor(d$condition, levels = conds)
    fit <- lm(score ~ arm + baseline, data = d)
    cs <- coef(summary(fit)); ci <- confint(fit)
    nd <- data.frame(arm = factor(conds, levels = conds), baseline = mean(d$baseline))
    pr <- predict(fit, nd, se.fit = TRUE, interval = "confidence")
    anc[[length(anc) + 1]] <- list(scale = sc$name, session = s, n = nrow(d),
      n_excluded = sum(o$scale == sc$name & o$session == s) - nrow(d), baseline_mean = mean(d$baseline),
      coefficients = lapply(seq_len(nrow(cs)), function(i) list(term = rownames(cs)[i], estimate = cs[i, 1], se = cs[i, 2],
        t = cs[i, 3], p = cs[i, 4], df = fit$df.residual, ci = as.numeric(ci[i, ]))),
      sigma = summary(fit)$sigma, r2 = summary(fit)$r.squared, adj_r2 = summary(fit)$adj.r.squared,
      adjusted_means = lapply(1:2, function(k) list(arm = conds[k], mean = unname(pr$fit[k, "fit"]), se = unname(pr$se.fit[k]),
        ci = unname(pr$fit[k, c("lwr", "upr")]))))
  }
  resp <- response_ref(o, meta, conds)
  rT <- resp[[2]]; rR <- resp[[1]]
  M <- rbind(c(rT$responders, rT$n - rT$responders), c(rR$responders, rR$n - rR$responders))
  ft <- fisher.test(M)
  cells <- as.numeric(t(M)); corrected <- any(cells == 0); if (corrected) cells <- cells + 0.5
  lor <- log(cells[1] * cells[4] / (cells[2] * cells[3])); se <- sqrt(sum(1 / cells))
  fisher <- list(table = M, p = ft$p.value, estimate = unname(ft$estimate), ci = as.numeric(ft$conf.int),
    sample_or = list(estimate = exp(lor), ci = exp(lor + c(-1, 1) * qnorm(0.975) * se), se_log = se, corrected = corrected))
  list(id = meta$id, design = "parallel", per_participant = o, summary = summary_ref(o, meta, conds), response = resp,
       ancova = anc, fisher = fisher)
}

ref <- list(
  r_version = R.version.string,
  lme4 = as.character(packageVersion("lme4")),
  lmerTest = as.character(packageVersion("lmerTest")),
  cases = list(
    crossover_ref(read_study(file.path(fix_dir, "crossover-incomplete"))),
    crossover_ref(read_study(file.path("data", "williams2018-naltrexone"))),
    parallel_ref(read_study(file.path(fix_dir, "parallel-missing"))),
    parallel_ref(read_study(file.path("data", "murrough2013-midazolam")))
  )
)
writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, na = "string", pretty = FALSE, dataframe = "rows"),
           file.path(fix_dir, "reference.json"))
cat("wrote", file.path(fix_dir, "reference.json"), "\n")
