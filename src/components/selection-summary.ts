/** Summary of a brushed selection of patients (pure). */

export interface SelectionSummary {
  n: number;
  mean_dM: number | null;
  mean_dY: number | null;
}

/** Number of selected patients and their mean ΔM and ΔY (null when none has a finite value); ids null: all points. */
export function summariseSelection(points: readonly { participant_id: string; dM: number; dY: number }[], ids: Iterable<string> | null): SelectionSummary {
  const set = ids === null ? null : new Set(ids);
  const chosen = set ? points.filter((p) => set.has(p.participant_id)) : points;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);
  return {
    n: chosen.length,
    mean_dM: mean(chosen.map((p) => p.dM).filter(Number.isFinite)),
    mean_dY: mean(chosen.map((p) => p.dY).filter(Number.isFinite)),
  };
}
