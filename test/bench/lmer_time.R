# Times lme4::lmer on the mixed model of the kit, for `npm run bench`.
# Usage: Rscript lmer_time.R <cells.csv> <reference-group> <sessions comma-separated>
# Prints one JSON line: {"seconds": <median of 5 fits>, "n_obs": <rows>}
suppressMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
sessions <- strsplit(args[3], ",")[[1]]
d$group <- relevel(factor(d$group), ref = args[2])
d$session <- factor(d$session, levels = sessions)
d$valence <- factor(d$valence, levels = c("bad", "good"))
f <- update ~ group * session * valence + age + education + (1 | participant_id)
fit <- lmer(f, data = d, REML = TRUE)  # warm-up
times <- replicate(5, system.time(lmer(f, data = d, REML = TRUE))[["elapsed"]])
cat(sprintf('{"seconds": %.6f, "n_obs": %d}\n', median(times), nrow(d)))
