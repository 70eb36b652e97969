/** The list of models and name lookup. */
import type { ModelSpec } from "./types.js";
import { MODELS, isModelName, type ModelName } from "./names.js";

export { MODELS, DEFAULT_MODEL, isModelName, type ModelName } from "./names.js";
import { single } from "./single.js";
import { valence } from "./valence.js";
import { scalingAsymmetry } from "./scaling-asymmetry.js";
import { eeWeighted } from "./ee-weighted.js";


export const MODEL_SPECS: Readonly<Record<ModelName, ModelSpec>> = {
  single,
  valence,
  "scaling-asymmetry": scalingAsymmetry,
  "ee-weighted": eeWeighted,
};

/** Validate a model name; throws `unknown model "x": expected one of ...` otherwise. */
export function parseModelName(name: string): ModelName {
  if (!isModelName(name)) throw new Error(`unknown model "${name}": expected one of ${MODELS.join(", ")}`);
  return name;
}

/** The definition of a model, by name (throws for an unknown name). */
export function getModel(name: string): ModelSpec {
  return MODEL_SPECS[parseModelName(name)];
}
