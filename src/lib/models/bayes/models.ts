/**
 * The registry of Bayesian belief-update models. Each is E2 = E1 + LR * (BR - E1) + noise with
 * N = +1 for good news, -1 for bad news; parameters are (a, b) or (a):
 *
 *   exp-asymmetry     LR = exp(a) + N exp(b)          Greaves' upd_model.m (mdgreaves/belief-updating-model).
 *                     alpha_good - alpha_bad = 2 exp(b) > 0: the asymmetry is POSITIVE BY CONSTRUCTION
 *                     (optimistic updating only; a participant who learns more from bad news is fitted with
 *                     b -> -infinity, i.e. the prior on b is all that keeps b finite). Use signed-asymmetry to
 *                     test the sign of the asymmetry.
 *   signed-asymmetry  LR = exp(a) + N b               the asymmetry 2b may take either sign.
 *   single            LR = exp(a)                     one learning rate (no valence effect).
 *   ee-scaled         LR = (|BR - E1| / 5) exp(a) + N exp(b)
 *                     the learning rate grows with the size of the estimation error |EE| = |BR - E1|, in units
 *                     of 5 percentage points; its rates are reported at the session's mean |EE|. Positive
 *                     asymmetry by construction, as exp-asymmetry. (Where this form comes from: docs/bayesian-models.md.)
 */
import type { BayesModel, BayesModelName, BayesPrior } from "./types.js";

const LOG_GREAVES = Math.log(1 / 128);
const diag = (v: number[]): number[][] => v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
/** Prior presets (see priors.ts for their rationale and docs/bayesian-models.md for the prior predictive check). */
const prior = (mean: number[], variances: number[], shape: number, rate: number): BayesPrior =>
  Object.freeze({ mean, covariance: diag(variances), precision_shape: shape, precision_rate: rate });

/** |EE| is measured in units of this many percentage points in ee-scaled. */
export const EE_SCALE = 5;

type Term = BayesModel["terms"][number];
const term = (transform: Term["transform"], covariate: Term["covariate"]): Term => ({ transform, covariate });

/**
 * The rates a model reports at phi, read from its terms: LR = base + N half, so alpha_good = base + half,
 * alpha_bad = base - half, asymmetry = 2 half. The base term's covariate is 1, or |EE| / EE_SCALE at the
 * session's mean |EE| (ee-scaled); the valence term is exp(b) or b; a model without one has half = 0.
 */
function reportFromTerms(terms: readonly Term[]): BayesModel["report"] {
  const value = (t: Term, x: number) => (t.transform === "exp" ? Math.exp(x) : x);
  const [baseTerm, valenceTerm] = terms;
  return (phi, meanAbsEE) => {
    const e = value(baseTerm, phi[0]);
    const A = baseTerm.covariate === "abs-ee-over-5" ? (meanAbsEE / EE_SCALE) * e : e;
    if (!valenceTerm) return { alpha_good: A, alpha_bad: A, asymmetry: 0 };
    const B = value(valenceTerm, phi[1]);
    return { alpha_good: A + B, alpha_bad: A - B, asymmetry: 2 * B };
  };
}

function model(name: BayesModelName, terms: Term[], formula: string, description: string, presets: BayesModel["presets"]): BayesModel {
  return { name, paramNames: terms.length === 1 ? ["a"] : ["a", "b"], terms, formula, description, presets, report: reportFromTerms(terms) };
}

const expAsymmetry = model(
  "exp-asymmetry",
  [term("exp", "one"), term("exp", "valence")],
  "E2 = E1 + (exp(a) + N exp(b)) (BR - E1) + noise",
  "Greaves' model: a mean learning rate exp(a) and a positive asymmetry exp(b) (alpha_good - alpha_bad = 2 exp(b) > 0 by construction).",
  { kit: prior([Math.log(0.3), Math.log(0.05)], [1, 1], 1, 25), greaves: prior([LOG_GREAVES, LOG_GREAVES], [0.25, 0.25], 1, 1) },
);

const signedAsymmetry = model(
  "signed-asymmetry",
  [term("exp", "one"), term("identity", "valence")],
  "E2 = E1 + (exp(a) + N b) (BR - E1) + noise",
  "A mean learning rate exp(a) and a signed half-asymmetry b (alpha_good - alpha_bad = 2b, either sign).",
  // Greaves did not define this model: his a prior, and his variance 1/4 on b centred at 0.
  { kit: prior([Math.log(0.3), 0], [1, 0.0625], 1, 25), greaves: prior([LOG_GREAVES, 0], [0.25, 0.25], 1, 1) },
);

const single = model(
  "single",
  [term("exp", "one")],
  "E2 = E1 + exp(a) (BR - E1) + noise",
  "One learning rate exp(a) for good and bad news.",
  { kit: prior([Math.log(0.3)], [1], 1, 25), greaves: prior([LOG_GREAVES], [0.25], 1, 1) },
);

const eeScaled = model(
  "ee-scaled",
  [term("exp", "abs-ee-over-5"), term("exp", "valence")],
  "E2 = E1 + ((|BR - E1| / 5) exp(a) + N exp(b)) (BR - E1) + noise",
  "A learning rate proportional to the size of the estimation error plus a positive asymmetry exp(b); rates reported at the session's mean |EE|.",
  { kit: prior([Math.log(0.1), Math.log(0.05)], [1, 1], 1, 25), greaves: prior([LOG_GREAVES, LOG_GREAVES], [0.25, 0.25], 1, 1) },
);

/** All Bayesian model names, in registry order. */
export const BAYES_MODELS: readonly BayesModelName[] = ["exp-asymmetry", "signed-asymmetry", "single", "ee-scaled"];

export const BAYES_MODEL_SPECS: Readonly<Record<BayesModelName, BayesModel>> = {
  "exp-asymmetry": expAsymmetry,
  "signed-asymmetry": signedAsymmetry,
  single,
  "ee-scaled": eeScaled,
};

export function isBayesModelName(name: string): name is BayesModelName {
  return (BAYES_MODELS as readonly string[]).includes(name);
}

/** The model of that name; throws `unknown Bayesian model "x": expected one of ...` otherwise. */
export function getBayesModel(name: string): BayesModel {
  if (!isBayesModelName(name)) throw new Error(`unknown Bayesian model "${name}": expected one of ${BAYES_MODELS.join(", ")}`);
  return BAYES_MODEL_SPECS[name];
}
