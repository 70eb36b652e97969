/** Studies of any design from the design simulator: valid folders, analyses that follow the design. */
import { describe, expect, test } from "vitest";
import { simulateDesign, type DesignSimConfig } from "../../../src/lib/task/simulate-design.js";
import { studyToFiles } from "../../../src/lib/task/simulate.js";
import { validateStudy, type StudyFiles } from "../../../src/lib/study/validate/index.js";
import { analyzeStudy, designOf } from "../../../src/lib/analysis/pipeline.js";
import { defaultParams } from "../../../src/lib/analysis/params.js";
import { newsCode, updateOf } from "../../../src/lib/task/news.js";
import { DESIGNS } from "../../fixtures/designs-v2/designs.js";

function folder(config: DesignSimConfig) {
  const { study } = simulateDesign(config);
  return { study, files: studyToFiles(study) };
}

describe("the design simulator", () => {
  test("is deterministic for a seed (byte-identical files)", () => {
    expect(folder(DESIGNS["three-groups-two-sessions"]).files).toEqual(folder(DESIGNS["three-groups-two-sessions"]).files);
  });

  test.each(Object.entries(DESIGNS))("%s: the folder validates as written and analyses as the design says", (_, config) => {
    const { files } = folder(config);
    const v = validateStudy(files as StudyFiles);
    expect(v.errors).toEqual([]);
    const study = v.study!;
    const d = designOf(study);
    const result = analyzeStudy(study, { ...defaultParams(d), boot: 0 });
    expect(result.lmm.error).toBeNull();
    const factors = [...(config.groups.length > 1 ? ["group"] : []), ...(config.sessions.length > 1 ? ["session"] : []), "valence"];
    expect(result.lmm.formula).toBe(`update ~ ${factors.join(" * ")}${config.demographics === false ? "" : " + age + education"} + (1 | participant_id)`);
    if (config.clinical) expect(result.mediation.not_applicable).toBeNull();
    else expect(result.mediation.not_applicable).toBe("the study has no clinical scores (clinical.csv), so there is no clinical change to mediate");
    expect(result.fit.fits.length).toBe(config.groups.reduce((s, g) => s + g.n, 0) * config.sessions.length);
  });

  test("positive events: events.csv says which, and their news follows the valence", () => {
    const { study, files } = folder(DESIGNS["one-group-one-session"]);
    expect(files["events.csv"]!.split("\n")[0]).toBe("event_id,valence,label");
    expect(study.events!.filter((e) => e.valence === "positive")).toHaveLength(20);
    const positive = new Set(study.events!.filter((e) => e.valence === "positive").map((e) => e.event_id));
    const scored = analyzeStudy(study, { ...defaultParams(designOf(study)), boot: 0 }).scored.trials;
    for (const t of scored.slice(0, 200)) {
      expect(t.valence).toBe(newsCode(t.e1, t.br, positive.has(t.event_id)) === 1 ? "good" : "bad");
      expect(t.update).toBe(updateOf(t.e1, t.br, t.e2));
    }
    // A positive event with a base rate above the first estimate is good news, and the update is E2 - E1.
    const up = scored.find((t) => positive.has(t.event_id) && t.br > t.e1)!;
    expect(up.valence).toBe("good");
    expect(up.update).toBe(up.e2 - up.e1);
  });

  test("without demographics participants.csv has no demographic column and the model no covariate", () => {
    const { files } = folder(DESIGNS["one-group-one-session"]);
    expect(files["participants.csv"].split("\n")[0]).toBe("participant_id,group");
    expect(files["clinical.csv"]).toBeUndefined();
  });
});
