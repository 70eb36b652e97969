/** R code shared by the reproduction scripts: reading the files, the tight optimiser, the comparison. */

export const R_PREAMBLE = String.raw`
suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
})
options(width = 160)
# Run from anywhere: the files are read next to this script.
local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1 && nzchar(f)) setwd(dirname(normalizePath(f)))
})
read_csv <- function(file, text = character(0)) {
  cls <- setNames(rep("character", length(text)), text)
  read.csv(file, stringsAsFactors = FALSE, na.strings = "", check.names = FALSE, colClasses = cls)
}

# A tight optimiser for lmer (as the kit's reference tests use): lme4's default stops with theta off
# by ~1e-7..1e-5 relative, the kit's REML optimum is polished. One variance parameter: optimize() then
# a root of the derivative of the REML deviance, and the boundary theta = 0; more: the better of lme4's
# nloptwrap and bobyqa, polished by bobyqa restarts to rhoend = 1e-14. Drop 'control = ctrl_tight' below to see lme4's default fit (the same
# numbers to about 5 significant digits).
opt_tight <- function(par, fn, lower, upper, control = list(), ...) {
  if (length(par) == 1L) {
    hi <- max(20, 20 * par)
    o <- optimize(fn, c(0, hi), tol = 1e-12)
    th <- o$minimum
    dfn <- function(t) { h <- 1e-5 * max(abs(t), 1e-3); (fn(t + h) - fn(t - h)) / (2 * h) }
    lo_b <- th * (1 - 1e-3); hi_b <- th * (1 + 1e-3)
    if (th > 1e-4 && dfn(lo_b) < 0 && dfn(hi_b) > 0) th <- uniroot(dfn, c(lo_b, hi_b), tol = 1e-15)$root
    f0 <- fn(0); fth <- fn(th)
    if (f0 <= fth) { th <- 0; fth <- f0 }
    return(list(par = th, fval = fth, conv = 0, message = "opt_tight (1-D)"))
  }
  # lme4's two optimisers from lme4's start (either can stop on a boundary, away from the optimum), the
  # better one polished by bobyqa restarts.
  # Started from the given theta and from lme4's default start (1 on the diagonal, 0 off it).
  o <- list(par = par, fval = fn(par))
  for (start in list(par, ifelse(lower == 0, 1, 0))) {
    for (cand in list(lme4::nloptwrap(start, fn, lower, upper), minqa::bobyqa(start, fn, lower = lower, upper = upper)))
      if (cand$fval < o$fval) o <- list(par = cand$par, fval = cand$fval)
  }
  for (rb in c(1e-2, 1e-4)) {
    o2 <- minqa::bobyqa(o$par, fn, lower = lower, upper = upper, control = list(rhobeg = rb, rhoend = 1e-14, maxfun = 1e5))
    if (o2$fval <= o$fval) o <- list(par = o2$par, fval = o2$fval)
  }
  list(par = o$par, fval = o$fval, conv = 0, message = "opt_tight")
}
ctrl_tight <- lmerControl(optimizer = opt_tight, calc.derivs = FALSE)

# Every number beside the kit's: quantity, item, kit, R, absolute and relative difference.
checks <- list()
compare <- function(quantity, item, kit, r) {
  n <- max(length(kit), length(r))
  kit <- rep_len(as.numeric(kit), n); r <- rep_len(as.numeric(r), n); item <- rep_len(as.character(item), n)
  d <- abs(kit - r)
  both_na <- is.na(kit) & is.na(r)
  d[both_na] <- 0
  same_inf <- !both_na & is.infinite(kit) & is.infinite(r) & sign(kit) == sign(r)
  d[same_inf] <- 0
  rel <- d / pmax(abs(kit), 1e-300)
  rel[d == 0] <- 0
  checks[[length(checks) + 1]] <<- data.frame(quantity = quantity, item = item, kit = kit, R = r, abs_diff = d, rel_diff = rel, stringsAsFactors = FALSE)
  invisible(NULL)
}
show_checks <- function(quantity, max_rows = 40) {
  x <- do.call(rbind, Filter(function(d) d$quantity[1] %in% quantity, checks))
  if (is.null(x) || !nrow(x)) return(invisible(NULL))
  y <- x[seq_len(min(nrow(x), max_rows)), c("quantity", "item", "kit", "R", "abs_diff")]
  y$kit <- formatC(y$kit, digits = 10, format = "g"); y$R <- formatC(y$R, digits = 10, format = "g")
  y$abs_diff <- formatC(y$abs_diff, digits = 2, format = "e")
  print(y, row.names = FALSE, right = FALSE)
  if (nrow(x) > max_rows) cat(sprintf("  ... %d more rows in reproduce_check.csv\n", nrow(x) - max_rows))
  cat("\n")
}
finish <- function() {
  all <- do.call(rbind, checks)
  write.csv(all, "reproduce_check.csv", row.names = FALSE, na = "")
  cat("Largest differences between the kit and R, per quantity (all rows: reproduce_check.csv):\n")
  s <- do.call(rbind, lapply(split(all, factor(all$quantity, levels = unique(all$quantity))), function(d) {
    ok <- is.na(d$kit) == is.na(d$R)
    data.frame(quantity = d$quantity[1], n = nrow(d), max_abs_diff = max(d$abs_diff, na.rm = TRUE),
               max_rel_diff = max(d$rel_diff, na.rm = TRUE), missing_mismatch = sum(!ok), stringsAsFactors = FALSE)
  }))
  s$max_abs_diff <- formatC(s$max_abs_diff, digits = 2, format = "e")
  s$max_rel_diff <- formatC(s$max_rel_diff, digits = 2, format = "e")
  print(s, row.names = FALSE, right = FALSE)
}
`;
