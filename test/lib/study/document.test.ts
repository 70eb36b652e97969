import { describe, expect, it } from "vitest";
import { packTrials, packedBuffers, unpackTrials } from "../../../src/lib/study/document.js";
import { internStudyIds } from "../../../src/browser/analysis-client.js";
import { DEFAULT_CONFIG, simulateStudy } from "../../../src/lib/task/simulate.js";
import type { Trial } from "../../../src/lib/study/types.js";

describe("packTrials / unpackTrials (the validation worker's transfer)", () => {
  const trials: Trial[] = [
    { participant_id: "P1", session: "pre", event_id: "E01", first_estimate: 40, base_rate: 25, second_estimate: 30 },
    { participant_id: "P1", session: "pre", event_id: "E02", first_estimate: null, base_rate: 12.5, second_estimate: -0 },
    { participant_id: "P2", session: "post1", event_id: "E01", first_estimate: 1e-9, base_rate: null, second_estimate: null },
    { participant_id: "", session: "pre", event_id: "E03", first_estimate: 0, base_rate: 100, second_estimate: 99.75 },
  ];

  it("gives back the same trials, nulls and signed zeros included", () => {
    const back = unpackTrials(packTrials(trials));
    expect(back).toEqual(trials);
    expect(Object.is(back[1].second_estimate, -0)).toBe(true);
    expect(back.map((t) => Object.keys(t))).toEqual(trials.map((t) => Object.keys(t)));
  });

  it("stores each id once and transfers only typed arrays", () => {
    const packed = packTrials(trials);
    expect(packed.participants).toEqual(["P1", "P2", ""]);
    expect(packed.sessions).toEqual(["pre", "post1"]);
    expect(packedBuffers(packed).every((b) => b instanceof ArrayBuffer)).toBe(true);
    const back = unpackTrials(packed);
    expect(back[0].participant_id).toBe(back[1].participant_id);
  });

  it("round-trips a simulated study exactly", () => {
    const { study } = simulateStudy({ ...DEFAULT_CONFIG, nTreatment: 5, nReference: 5, seed: 3 });
    expect(unpackTrials(structuredClone(packTrials(study.trials)))).toEqual(study.trials);
  });
});

describe("internStudyIds", () => {
  it("makes equal ids one string and changes no value", () => {
    const { study } = simulateStudy({ ...DEFAULT_CONFIG, nTreatment: 3, nReference: 3, seed: 4 });
    const copy = structuredClone(study);
    internStudyIds(copy);
    expect(copy).toEqual(study);
  });
});
