/**
 * The analysis options of the command line, shared by analyze and report: each flag's key in the
 * dashboard's parameters (src/lib/analysis/params.ts), --prior (a preset or a JSON file), and the
 * flag names in the messages of invalid values.
 */
import { existsSync, readFileSync } from "node:fs";
import { ALL_MODELS, bayesNameOf, isBayesKitModel } from "../lib/models/names.js";
import { validatePrior } from "../lib/models/bayes/index.js";
import type { BayesPrior } from "../lib/models/bayes/types.js";
import { stringFlag, UsageError, type ParsedArgs } from "./args.js";

/** Flag → key of parseParams (the dashboard's URL keys). */
export const ANALYSIS_FLAGS: Record<string, string> = {
  model: "model",
  "lmm-level": "level",
  "lmm-sessions": "lmm",
  "mediator-sessions": "med",
  "outcome-sessions": "out",
  boot: "boot",
  seed: "seed",
  range: "range",
  "min-trials": "mintrials",
  covariates: "cov",
  "news-reference": "ref",
  "max-recall-error": "recall",
  "mediation-group": "medgroup",
  "random-effects": "re",
};

/**
 * --prior: a preset name, or a JSON file with one prior {mean, covariance, precision_shape,
 * precision_rate} of the --model's parameters, validated against that model.
 */
export function readPrior(value: string, model: string): string | BayesPrior {
  if (value === "kit" || value === "greaves") return value;
  if (!existsSync(value)) throw new UsageError(`--prior: expected kit, greaves or a JSON file of a prior; ${value}: no such file`);
  if (!isBayesKitModel(model)) throw new UsageError(`--prior ${value}: a prior of one's own applies to a Bayesian model; add --model with one of ${ALL_MODELS.filter(isBayesKitModel).join(", ")}`);
  let prior: BayesPrior;
  try {
    prior = JSON.parse(readFileSync(value, "utf8")) as BayesPrior;
  } catch (e) {
    throw new UsageError(`--prior ${value}: not valid JSON (${(e as Error).message})`);
  }
  try {
    return validatePrior(bayesNameOf(model), prior);
  } catch (e) {
    throw new UsageError(`--prior ${value}: ${(e as Error).message}`);
  }
}

/**
 * The parameters' query from the flags (over `base`, e.g. a dashboard link's), and a prior of one's
 * own when --prior names a file (parseParams takes presets only).
 */
export function analysisQuery(args: ParsedArgs, base: URLSearchParams = new URLSearchParams(), defaultModel = "valence"): { query: URLSearchParams; prior: BayesPrior | undefined } {
  const query = new URLSearchParams(base);
  for (const [flag, key] of Object.entries(ANALYSIS_FLAGS)) {
    const v = stringFlag(args, flag);
    if (v !== undefined) query.set(key, v);
  }
  if (args.flags.get("hierarchical")) query.set("hier", "1");
  if (args.flags.get("bmc")) query.set("bmc", "1");
  const priorFlag = stringFlag(args, "prior");
  const prior = priorFlag === undefined ? undefined : readPrior(priorFlag, query.get("model") ?? defaultModel);
  if (typeof prior === "string") query.set("prior", prior);
  return { query, prior: typeof prior === "object" ? prior : undefined };
}

/** A UsageError naming the flags of parseParams' errors ("--boot: expected …"). */
export function flagErrors(errors: readonly string[]): UsageError {
  const flagOf = Object.fromEntries(Object.entries(ANALYSIS_FLAGS).map(([f, k]) => [k, f]));
  return new UsageError(`invalid option${errors.length > 1 ? "s" : ""}: ${errors.map((e) => e.replace(/^(\w+):/, (_, k: string) => `--${flagOf[k] ?? k}:`)).join("; ")}`);
}
