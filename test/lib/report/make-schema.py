# Writes docs/analysis.schema.json (run from the repository root: python3 test/lib/report/make-schema.py).
# Kept as a generator so that the repeated shapes (nullable numbers, coefficient rows) are written once.
import json
N = {"type": ["number", "null"]}
NUM = {"type": "number"}
INT = {"type": "integer", "minimum": 0}
STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
BOOL = {"type": "boolean"}
def obj(props, required=None, extra=False, desc=None):
    o = {"type": "object", "properties": props, "required": list(props) if required is None else required, "additionalProperties": extra}
    if desc: o["description"] = desc
    return o
def arr(items, desc=None):
    a = {"type": "array", "items": items}
    if desc: a["description"] = desc
    return a
def nullable(s):
    return {"anyOf": [s, {"type": "null"}]}
PAIR_N = {"type": "array", "items": N, "minItems": 2, "maxItems": 2}
STRPAIR = {"type": "array", "items": STR, "minItems": 2, "maxItems": 2}
fixed_row = obj({"term": STR, "estimate": NUM, "se": N, "df": N, "t": N, "p": N, "ci": nullable(PAIR_N)}, required=["term", "estimate", "se", "df", "t", "p"], desc="A fixed effect: R's coefficient name (treatment contrasts), Satterthwaite df, 95% t interval")
path = obj({"estimate": NUM, "se": N, "t": N, "df": NUM, "p": N})
groups = obj({"reference": STR, "treatment": STR, "levels": arr(STR)}, required=["reference", "levels"], desc="study.json groups: the first is the reference level")
scale = obj({"name": STR, "min": NUM, "max": NUM})
study_bu = obj({
    "id": STR, "title": STR, "synthetic": BOOL, "citation": STR, "groups": groups, "sessions": arr(STR),
    "clinical_scale": nullable(scale), "n_participants": {"type": "object", "additionalProperties": INT}, "n_trials": INT})
design_bu = obj({
    "groups": arr(STR), "sessions_by_group": {"type": "object", "additionalProperties": arr(STR)},
    "covariates": arr(obj({"name": STR, "column": STR, "n_known": INT})), "positive_events": arr(STR),
    "estimated_base_rate": BOOL, "recalled_base_rate": BOOL, "mediation_groups": arr(STR)})
options_bu = obj({
    "model": STR, "hierarchical": BOOL, "valid_range": {"type": "array", "items": NUM, "minItems": 2, "maxItems": 2},
    "min_trials_per_valence": INT, "news_reference": {"enum": ["base_rate", "estimated_base_rate"]}, "max_recall_error": N,
    "lmm_formula": STR, "lmm_level": {"enum": ["cells", "trials"]}, "lmm_sessions": arr(STR), "mediation_group": NSTR,
    "mediator_sessions": STRPAIR, "outcome_sessions": STRPAIR, "boot": INT, "seed": INT,
    "bayesian_model_selection": {"type": "boolean", "description": "optional (added with the Bayesian models)"},
    "prior": {"description": "optional: the prior of the Bayesian models (null for the least-squares models)", "anyOf": [{"type": "null"}, {"type": "string"}, {"type": "object"}]},
    "lmm_random_effects": {"type": "string", "description": "optional: the random-effects structure of the default formula (int, slope, event, slope-event)"}},
    required=["model", "hierarchical", "valid_range", "min_trials_per_valence", "news_reference", "max_recall_error", "lmm_formula", "lmm_level", "lmm_sessions", "mediation_group", "mediator_sessions", "outcome_sessions", "boot", "seed"])
excl = obj({"participant_id": STR, "session": STR, "reason": STR})
scoring = obj({"total": INT, "scored": INT, "missing": INT, "zeroError": INT, "outOfRange": INT, "recallError": INT, "excluded_participant_sessions": arr(excl)})
posterior = obj({"params": arr(STR), "mean": arr(NUM), "covariance": arr(arr(NUM)), "precision_shape": NUM, "precision_rate": NUM, "free_energy": N, "converged": BOOL},
    required=["mean", "covariance", "precision_shape", "precision_rate", "free_energy"], extra=True, desc="optional: the variational posterior of a Bayesian fit")
fit = obj({
    "participant_id": STR, "session": STR, "model": STR, "method": {"enum": ["ml", "map", "vb"]}, "alpha_good": N, "alpha_bad": N, "asymmetry": N,
    "n_good": INT, "n_bad": INT, "sigma": N, "loglik": N, "aic": N, "bic": N, "params": {"type": "object", "additionalProperties": N}, "posterior": posterior},
    required=["participant_id", "session", "model", "method", "alpha_good", "alpha_bad", "asymmetry", "n_good", "n_bad", "sigma", "loglik", "aic", "bic", "params"])
lr = obj({"group": STR, "session": STR, "valence": {"enum": ["good", "bad"]}, "mean": NUM, "sem": N, "n": INT})
total = obj({"model": STR, "n_fits": INT, "n_trials": INT, "sum_loglik": NUM, "sum_aic": NUM, "sum_bic": NUM, "delta_bic": NUM, "n_best": NUM, "n_best_participants": NUM, "ibic": N})
by_gs = obj({"model": STR, "group": STR, "session": STR, "n_fits": INT, "n_trials": INT, "sum_loglik": NUM, "sum_aic": NUM, "sum_bic": NUM, "n_best": NUM, "ibic": N}, extra=True)
mc = nullable(obj({"totals": arr(total), "by_group_session": arr(by_gs), "best_by_participant": arr(obj({"participant_id": STR, "group": STR, "best_model": STR, "tied": arr(STR)})), "notes": arr(STR)}))
per_model = {"type": "object", "additionalProperties": N}
bms = obj({"alpha": per_model, "frequency": per_model, "exceedance": per_model, "protected_exceedance": nullable(per_model), "bor": N}, required=["alpha", "frequency", "exceedance"], extra=True)
model_selection = nullable(obj({
    "models": arr(STR), "method": STR, "overall": bms, "by_group_session": arr({"allOf": [bms], "type": "object"}),
    "families": {"description": "optional: family-level selection (asymmetric vs single)", "anyOf": [{"type": "null"}, {"type": "object"}]}, "notes": arr(STR)},
    required=["models", "overall"], extra=True, desc="optional: random-effects Bayesian model selection of the vb- models (null when not run)"))
anova_row = obj({"term": STR, "type": {"enum": [2, 3]}, "num_df": NUM, "den_df": N, "F": N, "p": N}, desc="lmerTest's anova(fit, type) row, Satterthwaite denominator df")
varcorr_row = obj({"grp": STR, "var1": NSTR, "var2": NSTR, "vcov": NUM, "sdcor": N}, desc="a row of R's as.data.frame(VarCorr(fit)); null for NA")
lmm = obj({
    "formula": STR, "level": {"enum": ["cells", "trials"]}, "sessions": arr(STR), "fixed": arr(fixed_row),
    "random": nullable(obj({"participant_sd": N, "residual_sd": N}, extra=True)), "reml_criterion": N, "n_obs": {"type": ["integer", "null"]}, "n_groups": {"type": ["integer", "null"]},
    "singular": {"type": ["boolean", "null"]}, "rank_deficient": arr(STR), "key_term": NSTR,
    "anova": arr(anova_row, "optional: type III and II F tests"), "varcorr": arr(varcorr_row, "optional: the variance components"),
    "notes": arr(STR), "error": NSTR},
    required=["formula", "level", "sessions", "fixed", "random", "reml_criterion", "n_obs", "n_groups", "singular", "rank_deficient", "key_term", "notes", "error"])
spec = obj({"measure": STR, "from": STR, "to": STR})
boot = nullable(obj({"resamples": INT, "seed": INT, "valid": INT, "se": N, "percentile": nullable(PAIR_N), "bca": nullable(PAIR_N), "bca_label": STR}))
mediation = obj({
    "group": NSTR, "mediator": spec, "outcome": spec, "n": {"type": ["integer", "null"]}, "a": N, "b": N, "c": N, "c_prime": N, "indirect": N,
    "sobel_se": N, "sobel_z": N, "sobel_p": N,
    "paths": nullable(obj({"a": path, "b": path, "c": path, "c_prime": path, "m_mean": path})),
    "boot": boot, "sensitivity": nullable(obj({"rho_zero": N, "curve": arr(obj({"rho": NUM, "indirect": N}))})),
    "excluded": arr(obj({"participant_id": STR, "reason": STR}, extra=True)), "error": NSTR,
    "not_applicable": {"type": ["string", "null"], "description": "why the design has no mediation (not an error)"}})
published_any = {"description": "the publication a synthetic cohort was calibrated to (src/lib/study/published.ts), or null", "anyOf": [{"type": "null"}, {"type": "object"}]}
belief = obj({
    "kit_version": STR, "study": study_bu, "design": design_bu, "options": options_bu, "scoring": scoring, "fits": arr(fit),
    "learning_rate_summary": arr(lr), "model_comparison": mc, "model_selection": model_selection, "lmm": lmm, "mediation": mediation,
    "published": published_any, "warnings": arr(STR)},
    required=["kit_version", "study", "design", "options", "scoring", "fits", "learning_rate_summary", "model_comparison", "lmm", "mediation", "published", "warnings"],
    desc="belief-kit analyze --json of a belief-updating study (src/lib/analysis/report.ts analysisDocument)")

# ---- crossover / parallel
ci2 = nullable(PAIR_N)
design_study = obj({
    "id": STR, "title": STR, "synthetic": BOOL, "citation": STR, "design": {"enum": ["crossover", "parallel"]},
    "conditions": arr(STR), "sequences": {"type": "object", "additionalProperties": arr(STR)}, "groups": groups,
    "sessions": arr(STR), "clinical_scale": scale, "secondary_scales": arr(obj({"column": STR, "name": STR, "min": NUM, "max": NUM}, required=["name", "min", "max"], extra=True)),
    "response": obj({"scale": STR, "session": STR, "threshold": NUM, "rule": STR}), "n_participants": {"type": "object", "additionalProperties": INT}, "n_scores": INT},
    required=["id", "title", "synthetic", "citation", "design", "sessions", "clinical_scale", "secondary_scales", "response", "n_participants", "n_scores"])
pp = obj({"participant_id": STR, "group": STR, "condition": STR, "period": {"type": ["integer", "null"]}, "scale": STR, "session": STR, "baseline": N, "score": N, "change": N, "percent_reduction": N, "responder": {"type": ["boolean", "null"]}})
summary = obj({"scale": STR, "condition": STR, "session": STR, "n": INT, "mean_score": N, "sd_score": N, "n_change": INT, "mean_change": N, "sd_change": N, "sem_change": N, "mean_percent_reduction": N})
response = obj({"condition": STR, "scale": STR, "session": STR, "responders": INT, "n": INT, "rate": N, "missing": INT, "ci": ci2})
model = obj({"scale": STR, "session": STR, "kind": {"enum": ["lmm", "ancova"]}, "formula": STR, "key_term": NSTR, "period_term": NSTR, "fixed": arr(fixed_row), "n_obs": {"type": ["integer", "null"]}, "n_groups": {"type": ["integer", "null"]},
    "random": nullable(obj({"participant_sd": N, "residual_sd": N}, extra=True)), "reml_criterion": N, "singular": {"type": ["boolean", "null"]}, "r2": N, "messages": arr(STR), "error": NSTR})
mcnemar = obj({"scale": STR, "session": STR, "condition_a": STR, "condition_b": STR, "both": INT, "onlyA": INT, "onlyB": INT, "neither": INT, "n_pairs": INT, "n_incomplete": INT, "b": INT, "c": INT, "n_discordant": INT, "rate_a": N, "rate_b": N, "p": N, "odds_ratio": N, "ci": ci2, "conf_level": NUM}, required=["scale", "session", "condition_a", "condition_b", "both", "b", "c", "neither", "n_pairs", "n_incomplete", "p", "odds_ratio", "ci"], extra=True)
carry = obj({"scale": STR, "session": STR, "test": STR, "sequences": arr(obj({"sequence": STR, "n": INT, "mean_total": N, "sd_total": N})), "estimate": N, "se": N, "df": N, "t": N, "p": N, "ci": ci2, "error": NSTR})
orr = obj({"estimate": N, "ci": ci2}, extra=True)
fisher = obj({"scale": STR, "session": STR, "rows": STRPAIR, "columns": STRPAIR, "table": arr(arr(INT)), "n": INT, "p": N, "conditional_or": orr, "sample_or": obj({"estimate": N, "ci": ci2, "se_log": N, "corrected": BOOL}), "conf_level": NUM})
coef = obj({"term": STR, "estimate": NUM, "se": N, "t": N, "df": N, "p": N, "ci": ci2}, required=["term", "estimate", "se", "t", "df", "p"])
ancova = obj({"scale": STR, "session": STR, "formula": STR, "reference": STR, "treatment": STR, "n": INT, "n_excluded": INT, "baseline_mean": N, "coefficients": arr(coef), "difference": nullable(coef),
    "adjusted_means": arr(obj({"arm": STR, "n": INT, "mean": N, "se": N, "ci": ci2, "raw_baseline_mean": N, "raw_post_mean": N})), "sigma": N, "r2": N, "adj_r2": N, "df_residual": N, "error": NSTR})
outcomes = obj({"per_participant": arr(pp), "summary": arr(summary), "response": arr(response), "models": arr(model), "mcnemar": mcnemar, "carryover": arr(carry), "fisher": fisher, "ancova": arr(ancova)}, required=["per_participant", "summary", "response", "models"])
design_doc = obj({
    "kit_version": STR, "study": design_study, "design": {"enum": ["crossover", "parallel"]},
    "options": obj({"conf_level": NUM, "response_threshold": NUM, "response_session": STR, "model": STR, "carryover_test": STR}, required=["conf_level", "response_threshold", "response_session", "model"]),
    "outcomes": outcomes, "published": published_any, "warnings": arr(STR)},
    desc="belief-kit analyze --json of a crossover or parallel-group trial (src/lib/analysis/report.ts designDocument)")
schema = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://belief-updating-kit.invalid/docs/analysis.schema.json",
    "title": "belief-kit analyze --json",
    "description": "The JSON document of `belief-kit analyze <study> --json` (docs/report.md, 'The analysis JSON'). Strict (no unknown property) where the document is settled; the properties documented as optional may be absent. Infinite values are written by JSON as null. Generated by test/lib/report/make-schema.py; test/lib/report/schema.test.ts validates the bundled and simulated studies against it.",
    "oneOf": [{"$ref": "#/$defs/belief_updating"}, {"$ref": "#/$defs/trial"}],
    "$defs": {"belief_updating": belief, "trial": design_doc},
}
open("docs/analysis.schema.json", "w").write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
print("wrote docs/analysis.schema.json")
