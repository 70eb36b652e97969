/**
 * What every page, embed and figure says of where a study's data come from: the one text of the
 * synthetic banner and of the caption note. A study with "synthetic": false never says "synthetic";
 * a synthetic one always does.
 */
import type { StudyMeta } from "./types.js";

/** The caption note of every chart and figure of a synthetic study. */
export const SYNTHETIC_NOTE = "Synthetic cohort: simulated data, not patient data.";

/** The caption note of a study's charts (undefined for real data). */
export function syntheticNote(meta: Pick<StudyMeta, "synthetic">): string | undefined {
  return meta.synthetic ? SYNTHETIC_NOTE : undefined;
}

/** The banner text at the top of every page of a synthetic study (null for real data). */
export function syntheticBannerText(meta: Pick<StudyMeta, "synthetic" | "citation">): string | null {
  if (!meta.synthetic) return null;
  return "Everything on this page is computed from a simulated cohort (see the study's description for what it was calibrated to). It contains no patient data and must not be cited as clinical results.";
}

/** The first line of the command line's reports of a synthetic study (null for real data). */
export function syntheticReportLine(meta: Pick<StudyMeta, "synthetic">): string | null {
  return meta.synthetic ? "SYNTHETIC DATA: a simulated cohort (the study's description says how it was simulated); not patient data." : null;
}
