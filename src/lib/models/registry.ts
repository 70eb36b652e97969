/** The least-squares models by name (the Bayesian ones: bayes/models.ts) and name lookup. */
import type { ModelSpec } from "./types.js";
import { LS_MODELS, isLsModel, type LsModelName } from "./names.js";

export { LS_MODELS, ALL_MODELS, DEFAULT_MODEL, isModelName, isLsModel, type LsModelName, type ModelName } from "./names.js";
import { single } from "./single.js";
import { valence } from "./valence.js";
import { scalingAsymmetry } from "./scaling-asymmetry.js";
import { eeWeighted } from "./ee-weighted.js";


export const MODEL_SPECS: Readonly<Record<LsModelName, ModelSpec>> = {
  single,
  valence,
  "scaling-asymmetry": scalingAsymmetry,
  "ee-weighted": eeWeighted,
};

/** Validate a least-squares model name; throws `unknown model "x": expected one of ...` otherwise. */
export function parseModelName(name: string): LsModelName {
  if (!isLsModel(name)) throw new Error(`unknown model "${name}": expected one of ${LS_MODELS.join(", ")}`);
  return name;
}

/** The definition of a model, by name (throws for an unknown name). */
export function getModel(name: string): ModelSpec {
  return MODEL_SPECS[parseModelName(name)];
}
