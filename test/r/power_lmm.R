# Reference for the power of the mixed model's group x time x valence term (src/lib/power/metrics.ts,
# metric "lmm"). simr (Green & MacLeod 2016) is not packaged for Debian, so this is the loop that
# simr::powerSim runs, written out: simulate a study, fit lmer, test the term, count. The studies are
# drawn in R from the kit's generative model (src/lib/task/simulate-design.ts, written again here from
# its equations: independent code, independent random numbers), scored by the kit's rule and averaged
# into cells; the model is lmerTest's lmer(update ~ group * session * valence + (1 | participant_id))
# with Satterthwaite's t test. The kit's own count (test/fixtures/power/lmm_kit.json, written by
# test/lib/power/make-fixtures.ts) must agree within the two Monte Carlo errors.
# Run from the repository root (about a minute): Rscript test/r/power_lmm.R [replicates]
suppressPackageStartupMessages({ library(jsonlite); library(lmerTest) })
args <- commandArgs(trailingOnly = TRUE)
R <- if (length(args)) as.integer(args[1]) else 1000
kit <- fromJSON("test/fixtures/power/lmm_kit.json", simplifyVector = TRUE)
plan <- kit$plan
e <- plan$effects
groups <- plan$design$groups$label
n <- plan$design$groups$n
sessions <- plan$design$sessions
br <- kit$base_rates
lr <- e$learning_rates
clamp <- function(x, lo, hi) pmin(pmax(x, lo), hi)
term <- paste0("group", groups[2], ":session", sessions[2], ":valencegood")
set.seed(20240601)
one <- function() {
  cells <- list()
  for (gi in seq_along(groups)) for (i in seq_len(n[gi])) {
    id <- paste0(groups[gi], i)
    u <- rnorm(2, 0, e$between_sd)
    sigma <- runif(1, e$noise[1], e$noise[2])
    bias <- rnorm(1, 0, e$bias_sd)
    for (s in sessions) {
      mu <- lr[[groups[gi]]][[s]]
      a_good <- clamp(mu$good + u[1] + rnorm(1, 0, e$session_sd), 0.02, 0.98)
      a_bad <- clamp(mu$bad + u[2] + rnorm(1, 0, e$session_sd), 0.02, 0.98)
      b <- br[[s]]
      e1 <- clamp(round(b + bias + rnorm(length(b), 0, e$ee_sd)), 1, 99)
      good <- b < e1
      alpha <- ifelse(good, a_good, a_bad)
      e2 <- clamp(round(e1 + alpha * (b - e1) + rnorm(length(b), 0, sigma)), 1, 99)
      keep <- runif(length(b)) >= plan$design$missing_rate & e1 != b
      upd <- ifelse(b < e1, e1 - e2, e2 - e1)
      for (v in c("bad", "good")) {
        sel <- keep & (good == (v == "good"))
        if (any(sel)) cells[[length(cells) + 1]] <- data.frame(participant_id = id, group = groups[gi], session = s, valence = v, update = mean(upd[sel]))
      }
    }
  }
  d <- do.call(rbind, cells)
  d$group <- factor(d$group, levels = groups)
  d$session <- factor(d$session, levels = sessions)
  d$valence <- factor(d$valence, levels = c("bad", "good"))
  fit <- suppressMessages(lmer(update ~ group * session * valence + (1 | participant_id), data = d, REML = TRUE))
  co <- summary(fit)$coefficients
  c(estimate = co[term, "Estimate"], se = co[term, "Std. Error"], p = co[term, "Pr(>|t|)"])
}
t0 <- proc.time()[["elapsed"]]
res <- t(replicate(R, one()))
alpha <- plan$alpha
sig <- sum(res[, "p"] < alpha)
power <- sig / R
out <- list(
  note = "R loop (simr::powerSim's procedure, simr being unavailable on Debian): the kit's generative model drawn in R, lmerTest Satterthwaite test of the key term; see test/r/power_lmm.R",
  r_version = R.version.string, lmerTest = as.character(packageVersion("lmerTest")), lme4 = as.character(packageVersion("lme4")),
  term = term, replicates = R, significant = sig, power = power, mc_se = sqrt(power * (1 - power) / R),
  estimate_mean = mean(res[, "estimate"]), estimate_sd = sd(res[, "estimate"]), se_mean = mean(res[, "se"]),
  seconds = proc.time()[["elapsed"]] - t0
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "test/fixtures/power/lmm_reference.json")
cat(sprintf("R: power %.3f (MC SE %.3f) from %d studies in %.0f s; kit: %.3f (MC SE %.3f)\n", power, out$mc_se, R, out$seconds, kit$result$power, kit$result$mc_se))
