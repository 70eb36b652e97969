/**
 * "Reproduce in R" for a crossover or parallel-group trial: per_participant.csv (the document's own
 * per-participant rows) and reproduce.R, which refits every mixed model (lme4 + lmerTest) or ANCOVA
 * (lm), the exact response intervals (binom.test), the McNemar test (binom.test on the discordant
 * pairs) or Fisher's test (fisher.test), and Grizzle's carry-over test (t.test), and prints each
 * number beside the kit's. Pure (strings only).
 */
import type { DesignDocument } from "../analysis/report.js";
import { KIT_NAME } from "./paragraphs.js";
import { R_PREAMBLE } from "./r-common.js";
import { rDataFrame, rNum, rStr, rStrVec, rVec } from "./r-literals.js";
import { toCsv, type Cell } from "./tables.js";
import type { RBundle } from "./r-script.js";

export function designRBundle(doc: DesignDocument): RBundle {
  const o = doc.outcomes;
  const keys = ["participant_id", "group", "condition", "period", "scale", "session", "baseline", "score", "change", "percent_reduction", "responder"];
  const per = toCsv(
    keys.map((key) => ({ key, kind: "text" as const })),
    o.per_participant as unknown as Record<string, Cell>[],
  );
  return { files: { "reproduce.R": designRScript(doc), "per_participant.csv": per } };
}

function designRScript(doc: DesignDocument): string {
  const s = doc.study;
  const o = doc.outcomes;
  const crossover = doc.design === "crossover";
  const conds = crossover ? (s.conditions ?? []) : s.groups ? [s.groups.reference, s.groups.treatment] : [];
  const fixed = o.models.flatMap((m, i) => m.fixed.map((r) => ({ model: i + 1, term: r.term, estimate: r.estimate, se: r.se, df: r.df, t: r.t, p: r.p, ci_low: r.ci?.[0] ?? null, ci_high: r.ci?.[1] ?? null })));
  const models = o.models.map((m, i) => ({ model: i + 1, scale: m.scale, session: m.session, kind: m.kind, error: m.error }));
  const lines: string[] = [];
  lines.push(`kit <- list(design = ${rStr(doc.design)}, conditions = ${rStrVec(conds)}, sequences = ${rStrVec(Object.keys(s.sequences ?? {}))})`);
  lines.push(`kit$models <- ${rDataFrame(models, ["model", "scale", "session", "kind", "error"])}`);
  lines.push(`kit$fixed <- ${rDataFrame(fixed, ["model", "term", "estimate", "se", "df", "t", "p", "ci_low", "ci_high"])}`);
  lines.push(`kit$response <- ${rDataFrame(o.response.map((r) => ({ condition: r.condition, scale: r.scale, session: r.session, responders: r.responders, n: r.n, ci_low: r.ci?.[0] ?? null, ci_high: r.ci?.[1] ?? null })), ["condition", "scale", "session", "responders", "n", "ci_low", "ci_high"])}`);
  if (o.mcnemar) lines.push(`kit$mcnemar <- list(b = ${rNum(o.mcnemar.b)}, c = ${rNum(o.mcnemar.c)}, p = ${rNum(o.mcnemar.p)}, ci = ${rVec(o.mcnemar.ci ?? [null, null])})`);
  if (o.fisher) {
    const f = o.fisher;
    lines.push(`kit$fisher <- list(table = matrix(${rVec(f.table.flat())}, 2, byrow = TRUE), p = ${rNum(f.p)}, or = ${rNum(f.conditional_or.estimate)}, or_ci = ${rVec(f.conditional_or.ci ?? [null, null])}, sample_or = ${rNum(f.sample_or.estimate)}, sample_ci = ${rVec(f.sample_or.ci ?? [null, null])})`);
  }
  if (o.carryover)
    lines.push(`kit$carryover <- ${rDataFrame(o.carryover.filter((c) => !c.error).map((c) => ({ scale: c.scale, session: c.session, estimate: c.estimate, se: c.se, df: c.df, t: c.t, p: c.p })), ["scale", "session", "estimate", "se", "df", "t", "p"])}`);
  if (o.ancova)
    lines.push(`kit$adjusted <- ${rDataFrame(o.ancova.filter((a) => !a.error).flatMap((a) => a.adjusted_means.map((x) => ({ scale: a.scale, session: a.session, arm: x.arm, mean: x.mean, se: x.se }))), ["scale", "session", "arm", "mean", "se"])}`);
  return `#!/usr/bin/env Rscript
# Reproduces in R the numbers of ${KIT_NAME} ${doc.kit_version}'s analysis of the ${doc.design} trial
#   ${s.title.replace(/\n/g, " ")} (${s.id})${s.synthetic ? "\n#   SYNTHETIC DATA: a simulated cohort, not patient data." : ""}
# from per_participant.csv, and prints each beside the kit's number (all rows: reproduce_check.csv).
#   Rscript reproduce.R        (R >= 4.0 with lme4 and lmerTest)
${R_PREAMBLE}
${lines.join("\n")}

pp <- read_csv("per_participant.csv", c("participant_id", "group", "condition", "scale", "session"))
for (i in seq_len(nrow(kit$models))) {
  m <- kit$models[i, ]
  if (!is.na(m$error)) next
  d <- pp[pp$scale == m$scale & pp$session == m$session, ]
  k <- kit$fixed[kit$fixed$model == m$model, ]
  if (m$kind == "lmm") {
    # change ~ condition + period + (1 | participant_id): REML, Satterthwaite df (every participant with a change)
    d <- d[!is.na(d$change), ]
    d$condition <- factor(d$condition, levels = kit$conditions); d$period <- factor(d$period, levels = c(1, 2))
    fit <- lmerTest::lmer(change ~ condition + period + (1 | participant_id), data = d, REML = TRUE, control = ctrl_tight)
    cs <- coef(summary(fit)); dfs <- cs[, "df"]; pcol <- "Pr(>|t|)"
  } else {
    # ANCOVA score ~ arm + baseline (OLS)
    d <- d[!is.na(d$score) & !is.na(d$baseline), ]
    d$arm <- factor(d$condition, levels = kit$conditions)
    fit <- lm(score ~ arm + baseline, data = d)
    cs <- coef(summary(fit)); dfs <- rep(df.residual(fit), nrow(cs)); pcol <- "Pr(>|t|)"
    nd <- data.frame(arm = factor(kit$conditions, levels = kit$conditions), baseline = mean(d$baseline))
    pr <- predict(fit, newdata = nd, se.fit = TRUE)
    a <- kit$adjusted[kit$adjusted$scale == m$scale & kit$adjusted$session == m$session, ]
    compare("adjusted means", paste(m$scale, m$session, a$arm), a$mean, pr$fit[match(a$arm, kit$conditions)])
    compare("adjusted means SE", paste(m$scale, m$session, a$arm), a$se, pr$se.fit[match(a$arm, kit$conditions)])
  }
  j <- match(k$term, rownames(cs)); tq <- qt(0.975, dfs[j])
  item <- paste(m$scale, m$session, k$term)
  compare("model estimate", item, k$estimate, cs[j, "Estimate"])
  compare("model se", item, k$se, cs[j, "Std. Error"])
  compare("model df", item, k$df, dfs[j])
  compare("model t", item, k$t, cs[j, "t value"])
  compare("model p", item, k$p, cs[j, pcol])
  compare("model ci", paste(item, "low"), k$ci_low, cs[j, "Estimate"] - tq * cs[j, "Std. Error"])
  compare("model ci", paste(item, "high"), k$ci_high, cs[j, "Estimate"] + tq * cs[j, "Std. Error"])
}
show_checks(c("model estimate", "model se", "model df", "model p", "adjusted means"), max_rows = 60)

# Response rates: exact (Clopper-Pearson) intervals, as binom.test
for (i in seq_len(nrow(kit$response))) {
  r <- kit$response[i, ]
  if (r$n > 0) compare("response CI", paste(r$condition, c("low", "high")), c(r$ci_low, r$ci_high), binom.test(r$responders, r$n)$conf.int)
}
if (!is.null(kit$mcnemar)) {
  # Exact McNemar test: binomial test of b among the b + c discordant pairs; OR = b / c from the exact interval of b / (b + c)
  bt <- binom.test(kit$mcnemar$b, kit$mcnemar$b + kit$mcnemar$c)
  compare("McNemar", "p", kit$mcnemar$p, bt$p.value)
  or_ci <- bt$conf.int / (1 - bt$conf.int)   # Inf when c = 0, as the kit
  compare("McNemar", c("OR low", "OR high"), kit$mcnemar$ci, or_ci)
}
if (!is.null(kit$fisher)) {
  ft <- fisher.test(kit$fisher$table)
  compare("Fisher", "p", kit$fisher$p, ft$p.value)
  compare("Fisher", "conditional OR", kit$fisher$or, unname(ft$estimate))
  compare("Fisher", c("OR low", "OR high"), kit$fisher$or_ci, ft$conf.int)
  x <- kit$fisher$table
  so <- (x[1, 1] * x[2, 2]) / (x[1, 2] * x[2, 1]); se <- sqrt(sum(1 / x))
  compare("Fisher", "sample OR", kit$fisher$sample_or, so)
  compare("Fisher", c("Woolf low", "Woolf high"), kit$fisher$sample_ci, exp(log(so) + c(-1, 1) * qnorm(0.975) * se))
}
if (!is.null(kit$carryover) && nrow(kit$carryover)) {
  # Grizzle: participant totals change(A) + change(B) of the completers, two-sample t test (pooled variance) between sequences
  for (i in seq_len(nrow(kit$carryover))) {
    co <- kit$carryover[i, ]
    d <- pp[pp$scale == co$scale & pp$session == co$session & !is.na(pp$change), ]
    n_per <- table(d$participant_id); d <- d[d$participant_id %in% names(n_per)[n_per == 2], ]
    tot <- aggregate(change ~ participant_id + group, data = d, FUN = sum)
    seqs <- kit$sequences   # the kit's order: the difference is the second sequence minus the first
    tt <- t.test(tot$change[tot$group == seqs[2]], tot$change[tot$group == seqs[1]], var.equal = TRUE)
    compare("carry-over", paste(co$scale, co$session, "difference"), co$estimate, unname(tt$estimate[1] - tt$estimate[2]))
    compare("carry-over", paste(co$scale, co$session, "t"), co$t, unname(tt$statistic))
    compare("carry-over", paste(co$scale, co$session, "p"), co$p, tt$p.value)
  }
}
show_checks(c("response CI", "McNemar", "Fisher", "carry-over"))
finish()
`;
}
