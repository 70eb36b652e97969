/**
 * belief-kit lmm <file.csv> --formula "y ~ a * b + (1 + b | g)" [--factor a,b,g] [--ml] [--simple b:a,g]
 *   [--contrast FILE] [--level 0.95] [--json]
 *
 * The kit's general mixed model (src/lib/lmm, docs/mixed-models.md) on any CSV table: REML or ML,
 * Satterthwaite df, type III and type II F tests, variance components named as R's
 * as.data.frame(VarCorr(fit)), simple effects as emmeans gives them. A readable report, or one JSON
 * document with --json. A bad file or formula exits 2 with a message that names the problem.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { lmmTable, type TableContrast, type TableDocument } from "../../lib/lmm/table.js";
import { MixedModelError } from "../../lib/lmm/mframe.js";
import { stringFlag, UsageError } from "../args.js";
import type { Command } from "../command.js";

const fmt = (x: number | null | undefined, d = 4) => (x === null || x === undefined || !Number.isFinite(x) ? "–" : Math.abs(x) >= 1e5 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toFixed(d));
const fmtP = (p: number | null) => (p === null ? "–" : p < 1e-4 ? p.toExponential(2) : p.toFixed(4));

function table(header: string[], rows: string[][]): string[] {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  return [line(header), w.map((x) => "-".repeat(x)).join("  "), ...rows.map(line)];
}

/** The readable report: what summary(lmer) and anova() print, in the same order. */
export function formatLmm(doc: TableDocument): string {
  const out: string[] = [];
  out.push(`Linear mixed model fit by ${doc.reml ? "REML" : "maximum likelihood"}, Satterthwaite df: ${doc.formula}`);
  out.push(`${doc.n_obs} observations${doc.dropped_rows ? ` (${doc.dropped_rows} rows with a missing value left out)` : ""}; groups: ${Object.entries(doc.groups).map(([g, n]) => `${g} ${n}`).join(", ")}`);
  out.push(doc.reml ? `REML criterion ${fmt(doc.reml_criterion, 4)}` : `log-likelihood ${fmt(doc.loglik, 4)}, deviance ${fmt(doc.deviance, 4)}`);
  if (doc.singular) out.push("boundary (singular) fit: a variance is estimated at 0 or a correlation at ±1 (see ?isSingular in lme4)");
  if (doc.rank_deficient.length) out.push(`fixed-effect model matrix is rank deficient: dropped ${doc.rank_deficient.join(", ")}`);
  out.push("", "Random effects");
  out.push(...table(["group", "var1", "var2", "vcov", "sdcor"], doc.varcorr.map((v) => [v.grp, v.var1 ?? "", v.var2 ?? "", fmt(v.vcov), fmt(v.sdcor)])));
  out.push("", "Fixed effects");
  out.push(...table(["term", "estimate", "SE", "df", "t", "p", "CI"], doc.fixed.map((f) => [f.term, fmt(f.estimate), fmt(f.se), fmt(f.df, 2), fmt(f.t, 3), fmtP(f.p), f.ci ? `[${fmt(f.ci[0])}, ${fmt(f.ci[1])}]` : "–"])));
  for (const type of [3, 2] as const) {
    const rows = doc.anova.filter((a) => a.type === type);
    if (!rows.length) continue;
    out.push("", `Type ${type === 3 ? "III" : "II"} F tests (Satterthwaite denominator df)`);
    out.push(...table(["term", "num df", "den df", "F", "p"], rows.map((a) => [a.term, String(a.num_df ?? "–"), fmt(a.den_df, 2), fmt(a.F, 3), fmtP(a.p)])));
  }
  const se = doc.simple_effects;
  if (se) {
    out.push("", `Simple effects of ${se.factor}${se.by.length ? ` within ${se.by.join(" × ")}` : ""} (pairwise, as emmeans)`);
    out.push(...table(["within", "contrast", "estimate", "SE", "df", "t", "p"], se.contrasts.map((c) => [Object.values(c.by).join(", ") || "–", c.contrast, fmt(c.estimate), fmt(c.se), fmt(c.df, 2), fmt(c.t, 3), fmtP(c.p)])));
  }
  for (const c of doc.contrasts ?? []) {
    out.push("", `Contrast ${c.name}: ${c.kind === "t" ? `estimate ${fmt(c.estimate)}, SE ${fmt(c.se)}, df ${fmt(c.df, 2)}, t ${fmt(c.t, 3)}, p ${fmtP(c.p)}` : `F(${c.num_df ?? "–"}, ${fmt(c.den_df, 2)}) = ${fmt(c.F, 3)}, p ${fmtP(c.p)}`}`);
  }
  if (doc.messages.length) out.push("", ...doc.messages.map((m) => `note: ${m}`));
  return out.join("\n");
}

/** --simple valence:group,session → the simple effects of valence within group × session. */
function parseSimple(v: string): { factor: string; by: string[] } {
  const [factor, by = ""] = v.split(":");
  if (!factor) throw new UsageError(`--simple: expected FACTOR or FACTOR:BY1,BY2 (e.g. valence:group,session), got ${JSON.stringify(v)}`);
  return { factor: factor.trim(), by: by.split(",").map((x) => x.trim()).filter(Boolean) };
}

function readContrasts(file: string): TableContrast[] {
  if (!existsSync(file)) throw new UsageError(`--contrast ${file}: no such file`);
  let c: unknown;
  try {
    c = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`--contrast ${file}: not valid JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(c) ? c : [c];
  for (const [i, x] of list.entries())
    if (!x || typeof x !== "object" || !("L" in x)) throw new UsageError(`--contrast ${file}: contrast ${i + 1} has no "L" (expected {"name": "...", "L": {"term": 1, ...}} or a list of rows for an F test)`);
  return list as TableContrast[];
}

export const command: Command = {
  name: "lmm",
  summary: "fit a linear mixed model to any CSV table, as lme4::lmer + lmerTest would (REML, Satterthwaite df, F tests)",
  description:
    "Random-effect terms (expr | g) and (expr || g), nested or crossed; REML (default) or ML; Satterthwaite df for every coefficient, type III and type II F tests, simple effects and user contrasts (docs/mixed-models.md). " +
    "Columns named in --factor are factors even when they look numeric; other columns are numeric when every value is a number. Missing values: empty cells and NA. " +
    "A bad file or formula exits 2 with a message naming the problem.",
  positionals: [{ name: "file.csv", description: "the data, one row per observation (comma, semicolon or tab separated, with a header)", required: true }],
  options: [
    { name: "formula", value: "F", description: 'the model in R\'s syntax, e.g. "y ~ a * b + (1 + b | g)" (required)' },
    { name: "factor", value: "a,b,…", default: "the non-numeric columns", description: "columns read as factors (levels sorted, the first is the reference)" },
    { name: "ml", description: "maximum likelihood instead of REML" },
    { name: "level", value: "L", default: "0.95", description: "confidence level of the intervals" },
    { name: "simple", value: "F:by1,by2", description: "pairwise simple effects of factor F within the cells of the others (emmeans' pairwise ~ F | by1 * by2)" },
    { name: "contrast", value: "FILE", description: 'a JSON file of contrasts: {"name": "…", "L": {"term": 1, …}}, or a list; an L of several rows is an F test' },
    { name: "json", description: "print one JSON document on stdout (fixed, anova, varcorr, reml_criterion or loglik, singular, n_obs, groups)" },
  ],
  examples: [
    { command: 'belief-kit lmm test/fixtures/lmm/general/sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)" --factor Subject', note: "lme4's sleepstudy with a random slope" },
    { command: 'belief-kit lmm test/fixtures/lmm/general/sleepstudy.csv --formula "Reaction ~ Days + (Days || Subject)" --factor Subject --json > sleep.json', note: "the uncorrelated form, as JSON" },
  ],
  isUserError: (e) => e instanceof MixedModelError,
  async run(args) {
    const file = args.positional[0];
    if (!file) throw new UsageError('expected a CSV file: belief-kit lmm <file.csv> --formula "y ~ x + (1 | g)"');
    if (args.positional.length > 1) throw new UsageError(`expected one CSV file, got ${args.positional.length}: ${args.positional.join(" ")}`);
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
    const formula = stringFlag(args, "formula");
    if (!formula) throw new UsageError('--formula is required, e.g. --formula "y ~ x + (1 | g)"');
    const level = Number(stringFlag(args, "level") ?? "0.95");
    if (!(level > 0 && level < 1)) throw new UsageError(`--level: expected a number between 0 and 1, got ${stringFlag(args, "level")}`);
    const factor = stringFlag(args, "factor")?.split(",").map((x) => x.trim()).filter(Boolean);
    const simpleFlag = stringFlag(args, "simple");
    const contrastFile = stringFlag(args, "contrast");
    const doc = lmmTable(readFileSync(file, "utf8"), {
      formula,
      factor,
      ml: args.flags.has("ml"),
      level,
      simple: simpleFlag ? parseSimple(simpleFlag) : undefined,
      contrasts: contrastFile ? readContrasts(contrastFile) : undefined,
    });
    process.stdout.write(args.flags.has("json") ? JSON.stringify(doc, null, 2) + "\n" : formatLmm(doc) + "\n");
  },
};
