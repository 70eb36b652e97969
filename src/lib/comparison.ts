/**
 * Model comparison of the learning-rate models.
 *
 * - Summed BIC per model, per (group, session) cell and overall: BIC = k ln(n) - 2 loglik per
 *   participant-session (Schwarz 1978), summed over participant-sessions, which is the BIC of the
 *   model fitted independently to every participant-session (fixed-effects comparison; e.g. Daw 2011,
 *   "Trial-by-trial data analysis using computational models", sec. 3.3).
 * - Best model per participant-session: lowest BIC. Best model per participant: lowest BIC summed over
 *   that participant's sessions (only sessions where every compared model has a BIC).
 * - Ties (|delta BIC| <= tieTolerance) are listed in `tied`; `best_model` is the first of the tied
 *   models in MODELS order, and `n_best` shares the participant-session equally between tied models
 *   (fractional counts). Flat `valence` and `scaling-asymmetry` fits always tie: the latter is a
 *   reparametrisation of the former (see models/scaling-asymmetry.ts).
 * - iBIC (Huys et al. 2011) of hierarchical fits, per cell and overall, when given.
 * Only participant-sessions where every compared model has a finite BIC enter the sums, so the sums
 * are over the same data for every model; the others are listed in `excluded`.
 */
import type { ModelFit, ModelName } from "./models/types.js";
import { MODELS } from "./models/registry.js";
import { ALL_GROUP, groupResolver, type GroupOf } from "./models/groups.js";
import type { HierarchicalResult } from "./hierarchical.js";

export interface ComparisonRow {
  model: ModelName;
  group: string;
  session: string;
  n_fits: number;
  n_trials: number;
  sum_loglik: number;
  sum_aic: number;
  sum_bic: number;
  /** Participant-sessions of the cell where this model has the lowest BIC (ties shared). */
  n_best: number;
  /** iBIC of the hierarchical fit of this cell, when a hierarchical result was given. */
  ibic: number | null;
}

export interface ModelTotal {
  model: ModelName;
  n_fits: number;
  n_trials: number;
  sum_loglik: number;
  sum_aic: number;
  sum_bic: number;
  /** BIC minus the lowest summed BIC of the compared models. */
  delta_bic: number;
  n_best: number;
  /** Participants (BIC summed over sessions) best fitted by the model (ties shared). */
  n_best_participants: number;
  /** Overall iBIC of the hierarchical fit, when given. */
  ibic: number | null;
}

export interface BestFit {
  participant_id: string;
  session: string;
  group: string;
  best_model: ModelName;
  tied: ModelName[];
  bic: Partial<Record<ModelName, number>>;
  delta_bic: Partial<Record<ModelName, number>>;
}

export interface BestParticipant {
  participant_id: string;
  group: string;
  n_sessions: number;
  best_model: ModelName;
  tied: ModelName[];
  /** BIC summed over the participant's included sessions. */
  bic: Partial<Record<ModelName, number>>;
}

export interface ModelComparison {
  models: ModelName[];
  by_group_session: ComparisonRow[];
  totals: ModelTotal[];
  best: BestFit[];
  best_by_participant: BestParticipant[];
  excluded: { participant_id: string; session: string; reason: string }[];
  notes: string[];
  warnings: string[];
}

export interface CompareOptions {
  /** Hierarchical results per model, for the iBIC columns. */
  hierarchical?: Partial<Record<ModelName, HierarchicalResult>>;
  /** BIC differences at or below this count as ties (default 1e-6 * max(1, |BIC|)). */
  tieTolerance?: number;
}

function bestOf(models: ModelName[], bic: Partial<Record<ModelName, number>>, tol: number | undefined): { best: ModelName; tied: ModelName[] } {
  let min = Infinity;
  for (const m of models) min = Math.min(min, bic[m]!);
  const t = tol ?? 1e-6 * Math.max(1, Math.abs(min));
  const tied = models.filter((m) => bic[m]! - min <= t);
  return { best: tied[0], tied };
}

/** Compare fitted models (see the header for the rules). */
export function compareModels(
  fitsByModel: Partial<Record<ModelName, readonly ModelFit[]>>,
  groupOf?: GroupOf,
  options: CompareOptions = {},
): ModelComparison {
  const warnings: string[] = [];
  const notes: string[] = [];
  const models = MODELS.filter((m) => fitsByModel[m] !== undefined);
  if (models.length === 0) throw new Error("compareModels: no fits given");
  const resolve = groupOf === undefined ? undefined : groupResolver(groupOf, warnings);
  for (const m of models) {
    if (fitsByModel[m]!.some((f) => f.method === "map")) {
      warnings.push(`${m}: some fits are hierarchical (MAP); their BIC is evaluated at the MAP -- compare hierarchical fits by iBIC`);
    }
  }
  if (models.includes("valence") && models.includes("scaling-asymmetry")) {
    notes.push("valence and scaling-asymmetry are the same model for flat ML fits (alpha_good = s + k, alpha_bad = s - k): their BICs tie");
  }

  // Index fits by participant-session.
  const keyOf = (f: { participant_id: string; session: string }) => `${f.participant_id}\u0000${f.session}`;
  const byKey = new Map<string, { participant_id: string; session: string; group: string; fits: Partial<Record<ModelName, ModelFit>> }>();
  for (const m of models) {
    for (const f of fitsByModel[m]!) {
      const key = keyOf(f);
      let e = byKey.get(key);
      if (!e) {
        const group = resolve ? resolve(f.participant_id) : (f.group ?? ALL_GROUP);
        byKey.set(key, (e = { participant_id: f.participant_id, session: f.session, group, fits: {} }));
      }
      if (e.fits[m]) warnings.push(`${m}: duplicate fit for ${f.participant_id}/${f.session}; the first is used`);
      else e.fits[m] = f;
    }
  }

  const excluded: ModelComparison["excluded"] = [];
  const best: BestFit[] = [];
  const cells = new Map<string, Map<ModelName, ComparisonRow>>();
  const perParticipant = new Map<string, { group: string; n: number; bic: Partial<Record<ModelName, number>> }>();
  for (const e of byKey.values()) {
    const missing = models.filter((m) => {
      const b = e.fits[m]?.bic;
      return b === null || b === undefined || !Number.isFinite(b);
    });
    if (missing.length > 0) {
      excluded.push({ participant_id: e.participant_id, session: e.session, reason: `no BIC for ${missing.join(", ")}` });
      continue;
    }
    const bic: Partial<Record<ModelName, number>> = {};
    for (const m of models) bic[m] = e.fits[m]!.bic!;
    const { best: b, tied } = bestOf(models, bic, options.tieTolerance);
    const delta: Partial<Record<ModelName, number>> = {};
    for (const m of models) delta[m] = bic[m]! - bic[b]!;
    best.push({ participant_id: e.participant_id, session: e.session, group: e.group, best_model: b, tied, bic, delta_bic: delta });

    const cellKey = `${e.group}\u0000${e.session}`;
    let cell = cells.get(cellKey);
    if (!cell) {
      cell = new Map();
      for (const m of models) {
        cell.set(m, { model: m, group: e.group, session: e.session, n_fits: 0, n_trials: 0, sum_loglik: 0, sum_aic: 0, sum_bic: 0, n_best: 0, ibic: null });
      }
      cells.set(cellKey, cell);
    }
    for (const m of models) {
      const f = e.fits[m]!;
      const row = cell.get(m)!;
      row.n_fits++;
      row.n_trials += f.n;
      row.sum_loglik += f.loglik!;
      row.sum_aic += f.aic!;
      row.sum_bic += f.bic!;
      if (tied.includes(m)) row.n_best += 1 / tied.length;
    }
    let pp = perParticipant.get(e.participant_id);
    if (!pp) perParticipant.set(e.participant_id, (pp = { group: e.group, n: 0, bic: {} }));
    pp.n++;
    for (const m of models) pp.bic[m] = (pp.bic[m] ?? 0) + bic[m]!;
  }
  if (excluded.length > 0) warnings.push(`${excluded.length} participant-session(s) without a BIC for every model were left out of the comparison`);

  // iBIC per cell from the hierarchical results.
  for (const m of models) {
    const h = options.hierarchical?.[m];
    if (!h) continue;
    for (const pr of h.priors) {
      const row = cells.get(`${pr.group}\u0000${pr.session}`)?.get(m);
      if (row) row.ibic = pr.ibic;
    }
  }

  const best_by_participant: BestParticipant[] = [];
  const nBestParticipants: Partial<Record<ModelName, number>> = {};
  for (const [id, pp] of perParticipant) {
    const { best: b, tied } = bestOf(models, pp.bic, options.tieTolerance);
    best_by_participant.push({ participant_id: id, group: pp.group, n_sessions: pp.n, best_model: b, tied, bic: pp.bic });
    for (const m of tied) nBestParticipants[m] = (nBestParticipants[m] ?? 0) + 1 / tied.length;
  }

  const by_group_session = [...cells.values()].flatMap((c) => [...c.values()]);
  const totals: ModelTotal[] = models.map((m) => {
    const rows = by_group_session.filter((r) => r.model === m);
    const sum = (f: (r: ComparisonRow) => number) => rows.reduce((acc, r) => acc + f(r), 0);
    const h = options.hierarchical?.[m];
    return {
      model: m,
      n_fits: sum((r) => r.n_fits),
      n_trials: sum((r) => r.n_trials),
      sum_loglik: sum((r) => r.sum_loglik),
      sum_aic: sum((r) => r.sum_aic),
      sum_bic: sum((r) => r.sum_bic),
      delta_bic: 0,
      n_best: sum((r) => r.n_best),
      n_best_participants: nBestParticipants[m] ?? 0,
      ibic: h?.ibic ?? null,
    };
  });
  const minBic = Math.min(...totals.map((t) => t.sum_bic));
  for (const t of totals) t.delta_bic = Number.isFinite(minBic) ? t.sum_bic - minBic : 0;
  return { models, by_group_session, totals, best, best_by_participant, excluded, notes, warnings };
}
