/** Studies and documents shared by the report tests. */
import { analyzeStudy, designOf, type AnalysisResult } from "../../../src/lib/analysis/pipeline.js";
import { parseParams } from "../../../src/lib/analysis/params.js";
import { analysisDocument, designDocument, type AnalysisDocument, type DesignDocument } from "../../../src/lib/analysis/report.js";
import { analyzeDesign } from "../../../src/lib/designs/analyze.js";
import { loadStudyFromDir } from "../../../src/lib/study/load.js";
import type { Study } from "../../../src/lib/study/types.js";

export const BUNDLED = ["data/ketamine-trd", "data/williams2018-naltrexone", "data/murrough2013-midazolam"];
export const SIMULATED = ["one-group-one-session", "two-groups-one-session", "one-group-three-sessions", "three-groups-two-sessions"].map((d) => `test/fixtures/designs-v2/${d}`);

export interface Analysed {
  study: Study;
  result: AnalysisResult | null;
  doc: AnalysisDocument | DesignDocument;
}

/** Analyse a study folder (or a study) with a dashboard query, as `belief-kit analyze` does. */
export async function analyse(dirOrStudy: string | Study, query = ""): Promise<Analysed> {
  const study = typeof dirOrStudy === "string" ? await loadStudyFromDir(dirOrStudy) : dirOrStudy;
  if (study.meta.design === "crossover" || study.meta.design === "parallel") return { study, result: null, doc: designDocument(study, analyzeDesign(study)) };
  const { params, errors } = parseParams(query, designOf(study));
  if (errors.length) throw new Error(errors.join("; "));
  const result = analyzeStudy(study, params);
  return { study, result, doc: analysisDocument(study, result) };
}

/** The document as `analyze --json` writes it (Infinity becomes null). */
export const asJson = <T>(doc: T): T => JSON.parse(JSON.stringify(doc)) as T;

/** A number as the report prints it: fixed decimals, minus sign U+2212, no "-0.00". */
export function shown(x: number, digits = 2): string {
  let s = x.toFixed(digits);
  if (Number(s) === 0) s = s.replace("-", "");
  return s.replace("-", "\u2212");
}

/** "= .023" / "< .001" as the report prints p. */
export function shownP(p: number): string {
  return p < 0.001 ? "< .001" : p > 0.999 ? "> .999" : `= ${p.toFixed(3).slice(1)}`;
}

/** Satterthwaite df: one decimal when fractional. */
export function shownDf(df: number): string {
  return Math.abs(df - Math.round(df)) < 1e-6 * Math.max(1, df) ? String(Math.round(df)) : df.toFixed(1);
}
