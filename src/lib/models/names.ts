/**
 * The learning-rate models of the kit, by name: the one list that the registry, the analysis
 * parameters, the dashboard's model control and the command line all read. The order is the order of
 * model comparison tables and of tie-breaking.
 */
export const MODELS = ["single", "valence", "scaling-asymmetry", "ee-weighted"] as const;

export type ModelName = (typeof MODELS)[number];

/** The default model. */
export const DEFAULT_MODEL: ModelName = "valence";

export function isModelName(name: string): name is ModelName {
  return (MODELS as readonly string[]).includes(name);
}
