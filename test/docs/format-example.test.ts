/**
 * The worked example of docs/study-format.md, read from the document itself: its files validate as
 * they are, and the news and updates the text states are the kit's.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { validateStudy, type StudyFiles } from "../../src/lib/study/validate/index.js";
import { analyzeStudy, designOf } from "../../src/lib/analysis/pipeline.js";
import { defaultParams } from "../../src/lib/analysis/params.js";
import { scoreTrials } from "../../src/lib/task/columnar.js";

const doc = readFileSync("docs/study-format.md", "utf8");
const example = doc.slice(doc.indexOf("## A worked example"));

/** The code block that follows the line naming `file`. */
function block(file: string): string {
  const at = example.indexOf("`" + file + "`\n");
  const start = example.indexOf("```", at);
  const body = example.indexOf("\n", start) + 1;
  return example.slice(body, example.indexOf("```", body));
}

describe("the worked example of the format", () => {
  const files: StudyFiles = { "study.json": block("study.json"), "participants.csv": block("participants.csv"), "events.csv": block("events.csv"), "trials.csv": block("trials.csv") };
  const v = validateStudy(files);
  test("validates as written", () => expect(v.errors).toEqual([]));
  test("scores as the text says", () => {
    const study = v.study!;
    const r = analyzeStudy(study, { ...defaultParams(designOf(study)), boot: 0 });
    const scored = scoreTrials(study.trials, { positiveEvents: designOf(study).positive_events }).trials;
    const t = (p: string, e: string) => scored.find((x) => x.participant_id === p && x.event_id === e)!;
    expect([t("P001", "burglary").valence, t("P001", "burglary").update]).toEqual(["good", 10]);
    expect([t("P001", "promotion").valence, t("P001", "promotion").update]).toEqual(["good", 11]);
    expect([t("P002", "burglary").valence, t("P002", "burglary").update]).toEqual(["bad", 4]);
    expect(r.lmm.formula).toBe("update ~ valence + (1 | participant_id)");
    expect(r.mediation.not_applicable).not.toBeNull();
  });
});
