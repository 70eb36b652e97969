/** The list of models and name lookup. */
import type { ModelName, ModelSpec } from "./types.js";
import { single } from "./single.js";
import { valence } from "./valence.js";
import { scalingAsymmetry } from "./scaling-asymmetry.js";
import { eeWeighted } from "./ee-weighted.js";

/** All model names, in the order used for tie-breaking in model comparison. */
export const MODELS: readonly ModelName[] = ["single", "valence", "scaling-asymmetry", "ee-weighted"];

/** The default model. */
export const DEFAULT_MODEL: ModelName = "valence";

export const MODEL_SPECS: Readonly<Record<ModelName, ModelSpec>> = {
  single,
  valence,
  "scaling-asymmetry": scalingAsymmetry,
  "ee-weighted": eeWeighted,
};

export function isModelName(name: string): name is ModelName {
  return (MODELS as readonly string[]).includes(name);
}

/** Validate a model name; throws `unknown model "x": expected one of ...` otherwise. */
export function parseModelName(name: string): ModelName {
  if (!isModelName(name)) throw new Error(`unknown model "${name}": expected one of ${MODELS.join(", ")}`);
  return name;
}

/** The definition of a model, by name (throws for an unknown name). */
export function getModel(name: string): ModelSpec {
  return MODEL_SPECS[parseModelName(name)];
}
