# Reference for the closed-form power of the power engine (src/lib/power/closed-form.ts):
# base R's power.t.test for the cases of test/fixtures/power/closed_form_cases.json (written by
# test/lib/power/make-fixtures.ts), and pt(q, df, ncp) on a grid for the noncentral t itself.
# Run from the repository root: Rscript test/r/power_ttest.R
library(jsonlite)
cases <- fromJSON("test/fixtures/power/closed_form_cases.json")$cases
cases$power_R <- mapply(function(n, delta, sd, alpha, type)
  power.t.test(n = n, delta = delta, sd = sd, sig.level = alpha, type = type, alternative = "two.sided")$power,
  cases$n, cases$delta, cases$sd, cases$alpha, cases$type)
cases$power_R_strict <- mapply(function(n, delta, sd, alpha, type)
  power.t.test(n = n, delta = delta, sd = sd, sig.level = alpha, type = type, strict = TRUE)$power,
  cases$n, cases$delta, cases$sd, cases$alpha, cases$type)
grid <- expand.grid(q = c(-2, 0, 1.5, 2.06, 3), df = c(1, 2, 5, 25, 100, 1000), ncp = c(0, 0.5, 2, 3.9, 8))
grid$upper <- mapply(function(q, df, ncp) pt(q, df, ncp, lower.tail = FALSE), grid$q, grid$df, grid$ncp)
designs <- expand.grid(n = c(5, 10, 26, 60), delta = c(0.1, 0.3), sd = c(0.25), type = c("paired", "one.sample", "two.sample"), stringsAsFactors = FALSE)
designs$power <- mapply(function(n, delta, sd, type) power.t.test(n = n, delta = delta, sd = sd, type = type)$power, designs$n, designs$delta, designs$sd, designs$type)
writeLines(toJSON(list(
  note = "R power.t.test / pt(q, df, ncp, lower.tail = FALSE); see test/r/power_ttest.R",
  r_version = R.version.string,
  cases = cases, noncentral_t = grid, power_t_test = designs
), digits = NA, pretty = TRUE), "test/fixtures/power/ttest_reference.json")
cat("wrote test/fixtures/power/ttest_reference.json\n")
print(cases[, c("variant", "metric", "n", "power", "mc_se", "power_R")])
