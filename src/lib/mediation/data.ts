/** The complete cases of a mediation and their difference scores; the scatter points of the charts. */
import type { Exclusion, MediationData, MediationRow } from "./types.js";

const FIELD_LABELS: Record<"m_from" | "m_to" | "y_from" | "y_to", string> = {
  m_from: "m_from (mediator, earlier session)",
  m_to: "m_to (mediator, later session)",
  y_from: "y_from (outcome, earlier session)",
  y_to: "y_to (outcome, later session)",
};

function isNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** The scatter points of the patients with all four values: change of the mediator (dM) and of the outcome (dY). */
export function mediationPoints(rows: readonly MediationRow[]): { participant_id: string; dM: number; dY: number }[] {
  return rows
    .filter((r) => r.m_from !== null && r.m_to !== null && r.y_from !== null && r.y_to !== null)
    .map((r) => ({ participant_id: r.participant_id, dM: r.m_to! - r.m_from!, dY: r.y_to! - r.y_from! }));
}

/**
 * Complete cases and their difference scores. A participant with any of the four values
 * missing (null, undefined or non-finite) is listed in `excluded` with every missing value named.
 */
export function prepareMediationData(rows: readonly MediationRow[]): MediationData {
  const ids: string[] = [];
  const dm: number[] = [];
  const dy: number[] = [];
  const mbar: number[] = [];
  const excluded: Exclusion[] = [];
  for (const row of rows) {
    const missing = (Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]).filter((k) => !isNumber(row[k]));
    if (missing.length > 0) {
      excluded.push({
        participant_id: row.participant_id,
        reason: `missing ${missing.map((k) => FIELD_LABELS[k]).join(", ")}`,
      });
      continue;
    }
    const m0 = row.m_from as number;
    const m1 = row.m_to as number;
    ids.push(row.participant_id);
    dm.push(m1 - m0);
    dy.push((row.y_to as number) - (row.y_from as number));
    mbar.push((m0 + m1) / 2);
  }
  if (ids.length < 3) {
    const detail = excluded.length > 0
      ? ` ${excluded.length} participant(s) excluded: ${excluded.map((e) => `${e.participant_id} (${e.reason})`).join("; ")}.`
      : "";
    throw new Error(
      `Within-subject mediation needs at least 3 participants with all four values ` +
        `(m_from, m_to, y_from, y_to); got ${ids.length} complete of ${rows.length}.${detail}`,
    );
  }
  return {
    ids,
    dm: Float64Array.from(dm),
    dy: Float64Array.from(dy),
    mbar: Float64Array.from(mbar),
    excluded,
  };
}

