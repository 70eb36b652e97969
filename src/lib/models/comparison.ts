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
 *   models in LS_MODELS order, and `n_best` shares the participant-session equally between tied models
 *   (fractional counts). Flat `valence` and `scaling-asymmetry` fits always tie: the latter is a
 *   reparametrisation of the former (see models/scaling-asymmetry.ts).
 * - iBIC (Huys et al. 2011) of hierarchical fits, per cell and overall, when given.
 * Only participant-sessions where every compared model has a finite BIC enter the sums, so the sums
 * are over the same data for every model; the others are listed in `excluded`.
 */
import type { ModelFit, LsModelName } from "./types.js";
import { LS_MODELS } from "./registry.js";
import { ALL_GROUP, groupResolver, type GroupOf } from "./groups.js";
import type { HierarchicalResult } from "./hierarchical/index.js";

export interface ComparisonRow {
  model: LsModelName;
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
  model: LsModelName;
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
  best_model: LsModelName;
  tied: LsModelName[];
  bic: Partial<Record<LsModelName, number>>;
  delta_bic: Partial<Record<LsModelName, number>>;
}

export interface BestParticipant {
  participant_id: string;
  group: string;
  n_sessions: number;
  best_model: LsModelName;
  tied: LsModelName[];
  /** BIC summed over the participant's included sessions. */
  bic: Partial<Record<LsModelName, number>>;
}

export interface ModelComparison {
  models: LsModelName[];
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
  hierarchical?: Partial<Record<LsModelName, HierarchicalResult>>;
  /** BIC differences at or below this count as ties (default 1e-6 * max(1, |BIC|)). */
  tieTolerance?: number;
}

function bestOf(models: LsModelName[], bic: Partial<Record<LsModelName, number>>, tol: number | undefined): { best: LsModelName; tied: LsModelName[] } {
  let min = Infinity;
  for (const m of models) min = Math.min(min, bic[m]!);
  const t = tol ?? 1e-6 * Math.max(1, Math.abs(min));
  const tied = models.filter((m) => bic[m]! - min <= t);
  return { best: tied[0], tied };
}

/** Compare fitted models (see the header for the rules). */
export function compareModels(
  fitsByModel: Partial<Record<LsModelName, readonly ModelFit[]>>,
  groupOf?: GroupOf,
  options: CompareOptions = {},
): ModelComparison {
  const warnings: string[] = [];
  const notes: string[] = [];
  const models = LS_MODELS.filter((m) => fitsByModel[m] !== undefined);
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

  // Index fits by participant-session, in order of first appearance, without building a key string
  // per fit: a map from participant to its first entry, and the entries of one participant chained.
  const nM = models.length;
  interface Entry {
    participant_id: string;
    session: string;
    group: string;
    fits: (ModelFit | undefined)[];
  }
  const entries: Entry[] = [];
  const firstOf = new Map<string, number>();
  const nextOf: number[] = [];
  const entryOf = (f: ModelFit): number => {
    const head = firstOf.get(f.participant_id);
    for (let i = head ?? -1; i >= 0; i = nextOf[i]) if (entries[i].session === f.session) return i;
    const group = resolve ? resolve(f.participant_id) : (f.group ?? ALL_GROUP);
    const i = entries.length;
    entries.push({ participant_id: f.participant_id, session: f.session, group, fits: new Array(nM) });
    if (head === undefined) {
      firstOf.set(f.participant_id, i);
      nextOf.push(-1);
    } else {
      // append at the end of the chain
      let last = head;
      while (nextOf[last] >= 0) last = nextOf[last];
      nextOf[last] = i;
      nextOf.push(-1);
    }
    return i;
  };
  // The fits of every model usually list the same participant-sessions in the same order (fitAll):
  // then the entry of fit j of model 0 is that of fit j of every model.
  const fits0 = nM > 0 ? fitsByModel[models[0]]! : [];
  const entryOf0: number[] = [];
  for (let mi = 0; mi < nM; mi++) {
    const m = models[mi];
    const list = fitsByModel[m]!;
    const aligned = mi > 0 && list.length === fits0.length;
    for (let j = 0; j < list.length; j++) {
      const f = list[j];
      const i =
        aligned && f.participant_id === fits0[j].participant_id && f.session === fits0[j].session ? entryOf0[j] : entryOf(f);
      if (mi === 0) entryOf0.push(i);
      const e = entries[i];
      if (e.fits[mi]) warnings.push(`${m}: duplicate fit for ${f.participant_id}/${f.session}; the first is used`);
      else e.fits[mi] = f;
    }
  }

  const excluded: ModelComparison["excluded"] = [];
  const best: BestFit[] = [];
  /** Rows of each (group, session) cell, one per model, in order of first appearance. */
  const cellRows: ComparisonRow[][] = [];
  const cells = new Map<string, Map<string, ComparisonRow[]>>();
  const perParticipant = new Map<string, { group: string; n: number; bic: Partial<Record<LsModelName, number>> }>();
  const bicArr = new Float64Array(nM);
  for (const e of entries) {
    let missing: LsModelName[] | null = null;
    for (let mi = 0; mi < nM; mi++) {
      const b = e.fits[mi]?.bic;
      if (b === null || b === undefined || !Number.isFinite(b)) (missing ??= []).push(models[mi]);
    }
    if (missing) {
      excluded.push({ participant_id: e.participant_id, session: e.session, reason: `no BIC for ${missing.join(", ")}` });
      continue;
    }
    const bic: Partial<Record<LsModelName, number>> = {};
    let min = Infinity;
    for (let mi = 0; mi < nM; mi++) {
      const v = e.fits[mi]!.bic!;
      bicArr[mi] = v;
      bic[models[mi]] = v;
      min = Math.min(min, v);
    }
    // bestOf, on the array.
    const tolerance = options.tieTolerance ?? 1e-6 * Math.max(1, Math.abs(min));
    const tied: LsModelName[] = [];
    let bestIndex = -1;
    for (let mi = 0; mi < nM; mi++) {
      if (bicArr[mi] - min <= tolerance) {
        if (bestIndex < 0) bestIndex = mi;
        tied.push(models[mi]);
      }
    }
    const b = models[bestIndex];
    const delta: Partial<Record<LsModelName, number>> = {};
    for (let mi = 0; mi < nM; mi++) delta[models[mi]] = bicArr[mi] - bicArr[bestIndex];
    best.push({ participant_id: e.participant_id, session: e.session, group: e.group, best_model: b, tied, bic, delta_bic: delta });

    let bySession = cells.get(e.group);
    if (!bySession) cells.set(e.group, (bySession = new Map()));
    let rows = bySession.get(e.session);
    if (!rows) {
      rows = models.map((m) => ({ model: m, group: e.group, session: e.session, n_fits: 0, n_trials: 0, sum_loglik: 0, sum_aic: 0, sum_bic: 0, n_best: 0, ibic: null }));
      bySession.set(e.session, rows);
      cellRows.push(rows);
    }
    const share = 1 / tied.length;
    for (let mi = 0; mi < nM; mi++) {
      const f = e.fits[mi]!;
      const row = rows[mi];
      row.n_fits++;
      row.n_trials += f.n;
      row.sum_loglik += f.loglik!;
      row.sum_aic += f.aic!;
      row.sum_bic += f.bic!;
      if (bicArr[mi] - min <= tolerance) row.n_best += share;
    }
    let pp = perParticipant.get(e.participant_id);
    if (!pp) perParticipant.set(e.participant_id, (pp = { group: e.group, n: 0, bic: {} }));
    pp.n++;
    for (let mi = 0; mi < nM; mi++) pp.bic[models[mi]] = (pp.bic[models[mi]] ?? 0) + bicArr[mi];
  }
  if (excluded.length > 0) warnings.push(`${excluded.length} participant-session(s) without a BIC for every model were left out of the comparison`);

  // iBIC per cell from the hierarchical results.
  for (let mi = 0; mi < nM; mi++) {
    const h = options.hierarchical?.[models[mi]];
    if (!h) continue;
    for (const pr of h.priors) {
      const row = cells.get(pr.group)?.get(pr.session)?.[mi];
      if (row) row.ibic = pr.ibic;
    }
  }

  const best_by_participant: BestParticipant[] = [];
  const nBestParticipants: Partial<Record<LsModelName, number>> = {};
  for (const [id, pp] of perParticipant) {
    const { best: b, tied } = bestOf(models, pp.bic, options.tieTolerance);
    best_by_participant.push({ participant_id: id, group: pp.group, n_sessions: pp.n, best_model: b, tied, bic: pp.bic });
    for (const m of tied) nBestParticipants[m] = (nBestParticipants[m] ?? 0) + 1 / tied.length;
  }

  const by_group_session = cellRows.flat();
  const totals: ModelTotal[] = models.map((m, mi) => {
    const rows = cellRows.map((r) => r[mi]);
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

/** One model in one group: BIC summed over the group's participant-sessions, its distance to the group's best, and whether it is (tied) best. */
export interface GroupModelBic {
  model: LsModelName;
  group: string;
  bic: number;
  /** BIC minus the group's lowest (0 for the best and every model tied with it). */
  delta: number;
  /** Within the tie tolerance of the group's lowest BIC (the rule of compareModels: 1e-6 x max(1, |BIC|)). */
  best: boolean;
  /** Participants of the group best fitted by the model (BIC summed over their sessions); a tie shares the participant equally. */
  n_best: number;
}

/**
 * The comparison per group, as the dashboard and the figures show it: the one tie rule of
 * compareModels for both the "best" label and the participant counts (ties shared equally, as the
 * command line reports them).
 */
export function groupComparison(cmp: ModelComparison, groups: readonly string[], options: Pick<CompareOptions, "tieTolerance"> = {}): GroupModelBic[] {
  const out: GroupModelBic[] = [];
  for (const group of groups) {
    const bic = new Map<LsModelName, number>();
    for (const r of cmp.by_group_session) if (r.group === group) bic.set(r.model, (bic.get(r.model) ?? 0) + r.sum_bic);
    const present = cmp.models.filter((m) => bic.has(m) && Number.isFinite(bic.get(m)!));
    if (!present.length) continue;
    const min = Math.min(...present.map((m) => bic.get(m)!));
    const tol = options.tieTolerance ?? 1e-6 * Math.max(1, Math.abs(min));
    const counts = new Map<LsModelName, number>();
    for (const b of cmp.best_by_participant)
      if (b.group === group) for (const m of b.tied) counts.set(m, (counts.get(m) ?? 0) + 1 / b.tied.length);
    for (const m of present) {
      const delta = bic.get(m)! - min;
      const best = delta <= tol;
      out.push({ model: m, group, bic: bic.get(m)!, delta: best ? 0 : delta, best, n_best: counts.get(m) ?? 0 });
    }
  }
  return out;
}
