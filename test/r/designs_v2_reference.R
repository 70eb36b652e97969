#!/usr/bin/env Rscript
# Reference analyses of study folders of any design (format v2) for test/lib/analysis/designs-v2.test.ts:
# the study scored independently in R (news by event valence, update toward the base rate), the
# valence model's least-squares rates per participant-session (lm), and the default mixed model of the
# design (lme4 + lmerTest, REML, Satterthwaite df) on the cell means.
#
# Regenerate from the repository root:
#   npx tsx test/r/make_design_v2_folders.ts && Rscript test/r/designs_v2_reference.R
# Writes test/fixtures/designs-v2/<design>/reference.json.

suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(jsonlite)
})
source(file.path("test", "r", "opt_theta.R"))

root <- file.path("test", "fixtures", "designs-v2")
for (name in list.dirs(root, full.names = FALSE, recursive = FALSE)) {
  dir <- file.path(root, name)
  meta <- fromJSON(file.path(dir, "study.json"), simplifyVector = TRUE)
  groups <- if (is.list(meta$groups)) unlist(c(meta$groups$reference, meta$groups$treatment)) else meta$groups
  sessions <- meta$sessions
  p <- read.csv(file.path(dir, "participants.csv"), stringsAsFactors = FALSE)
  tr <- read.csv(file.path(dir, "trials.csv"), stringsAsFactors = FALSE)
  positive <- character(0)
  if (file.exists(file.path(dir, "events.csv"))) {
    ev <- read.csv(file.path(dir, "events.csv"), stringsAsFactors = FALSE)
    positive <- ev$event_id[ev$valence == "positive"]
  }
  # Scoring: complete, in range, with news; good news = lower risk (negative event) or higher chance (positive event).
  tr <- tr[complete.cases(tr[, c("first_estimate", "base_rate", "second_estimate")]), ]
  tr <- tr[tr$first_estimate != tr$base_rate, ]
  pos <- tr$event_id %in% positive
  below <- tr$base_rate < tr$first_estimate
  tr$valence <- ifelse(xor(below, pos), "good", "bad")
  tr$update <- ifelse(below, tr$first_estimate - tr$second_estimate, tr$second_estimate - tr$first_estimate)
  tr$x <- tr$base_rate - tr$first_estimate
  tr$y <- tr$second_estimate - tr$first_estimate

  # Least-squares learning rates of the valence model: y = alpha_good x [good] + alpha_bad x [bad].
  keys <- unique(tr[, c("participant_id", "session")])
  fits <- lapply(seq_len(nrow(keys)), function(i) {
    d <- tr[tr$participant_id == keys$participant_id[i] & tr$session == keys$session[i], ]
    d$xg <- ifelse(d$valence == "good", d$x, 0)
    d$xb <- ifelse(d$valence == "bad", d$x, 0)
    m <- lm(y ~ 0 + xg + xb, data = d)
    list(participant_id = keys$participant_id[i], session = keys$session[i], alpha_good = unname(coef(m)["xg"]), alpha_bad = unname(coef(m)["xb"]))
  })

  # Cell means and the design's default model.
  cells <- aggregate(update ~ participant_id + session + valence, data = tr, FUN = mean)
  cells <- merge(cells, p, by = "participant_id")
  present <- groups[groups %in% unique(cells$group)]
  cells$group <- factor(cells$group, levels = present)
  cells$session <- factor(cells$session, levels = sessions)
  cells$valence <- factor(cells$valence, levels = c("bad", "good"))
  factors <- c(if (length(present) > 1) "group", if (length(sessions) > 1) "session", "valence")
  covs <- c(if ("age" %in% names(p)) "age", if ("education_years" %in% names(p)) "education")
  if ("education_years" %in% names(cells)) cells$education <- cells$education_years
  rhs <- paste(c(paste(factors, collapse = " * "), covs), collapse = " + ")
  f <- as.formula(paste0("update ~ ", rhs, " + (1 | participant_id)"))
  fit <- lmerTest::lmer(f, data = cells, REML = TRUE, control = ctrl)
  cs <- coef(summary(fit))
  vc <- as.data.frame(VarCorr(fit))
  out <- list(
    design = name,
    formula = paste0("update ~ ", rhs, " + (1 | participant_id)"),
    n_scored = nrow(tr),
    fits = fits,
    lmm = list(
      fixed = lapply(seq_len(nrow(cs)), function(i) list(term = rownames(cs)[i], estimate = cs[i, "Estimate"], se = cs[i, "Std. Error"], df = cs[i, "df"], t = cs[i, "t value"], p = cs[i, "Pr(>|t|)"])),
      participant_sd = vc$sdcor[vc$grp == "participant_id"],
      residual_sd = vc$sdcor[vc$grp == "Residual"],
      reml_criterion = unname(REMLcrit(fit)),
      n_obs = nobs(fit)
    ),
    generated = list(R = R.version.string, lme4 = as.character(packageVersion("lme4")), lmerTest = as.character(packageVersion("lmerTest")))
  )
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(dir, "reference.json"))
  cat("wrote", file.path(dir, "reference.json"), "\n")
}
