# Times lme4::lmer (default settings: REML, nloptwrap/BOBYQA) on the models of the general mixed-model
# engine, for test/bench/lmm-bench.ts. Optionally also lmerTest's Satterthwaite summary and anova.
# Usage: Rscript test/bench/lmer_general.R <cells.csv> <trials.csv> <reference-group> <sessions,comma> <runs> [lmerTest]
# Prints one JSON line: {"intercept": s, "intercept_cpu": s, "slope": ..., "crossed": ...} (median
# elapsed and CPU seconds of <runs> fits after one warm-up fit on the cells), and, with "lmerTest",
# the elapsed seconds of lmerTest::lmer + summary + anova (type III and II).
suppressMessages({ library(lme4); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
prep <- function(file) {
  d <- read.csv(file, stringsAsFactors = FALSE)
  d$group <- relevel(factor(d$group), ref = args[3])
  d$session <- factor(d$session, levels = strsplit(args[4], ",")[[1]])
  d$valence <- factor(d$valence, levels = c("bad", "good"))
  d
}
cells <- prep(args[1])
trials <- prep(args[2])
runs <- as.integer(args[5])
with_lmerTest <- length(args) >= 6 && args[6] == "lmerTest"
models <- list(
  intercept = list(update ~ group * session * valence + age + education + (1 | participant_id), cells),
  slope = list(update ~ group * session * valence + age + education + (1 + valence | participant_id), cells),
  crossed = list(update ~ group * session * valence + (1 | participant_id) + (1 | event_id), trials)
)
invisible(suppressMessages(lmer(models$intercept[[1]], data = cells)))  # warm-up
# median elapsed and CPU (user + system) seconds
time_of <- function(expr_fun, n) {
  t <- replicate(n, { s <- system.time(expr_fun()); c(s[["elapsed"]], s[["user.self"]] + s[["sys.self"]]) })
  t <- matrix(t, nrow = 2)
  c(median(t[1, ]), median(t[2, ]))
}
out <- list(n_cells = nrow(cells), n_trials = nrow(trials))
for (nm in names(models)) {
  f <- models[[nm]][[1]]; d <- models[[nm]][[2]]
  tt <- time_of(function() suppressMessages(lmer(f, data = d)), runs)
  out[[nm]] <- tt[1]; out[[paste0(nm, "_cpu")]] <- tt[2]
  if (with_lmerTest) {
    out[[paste0(nm, "_lmerTest")]] <- time_of(function() {
      m <- suppressMessages(lmerTest::lmer(f, data = d)); summary(m); anova(m, type = 3); anova(m, type = 2)
    }, 1)[1]
  }
}
cat(toJSON(out, auto_unbox = TRUE, digits = 6), "\n")
