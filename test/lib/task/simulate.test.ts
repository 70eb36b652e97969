import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles } from "../../../src/lib/task/simulate.js";
import { validateStudy } from "../../../src/lib/study/validate/index.js";

describe("simulation", () => {
  test("is deterministic: the same seed gives byte-identical files", () => {
    const a = studyToFiles(simulateStudy(DEFAULT_CONFIG).study);
    const b = studyToFiles(simulateStudy(DEFAULT_CONFIG).study);
    expect(a).toEqual(b);
  });
  test("a different seed gives different data", () => {
    const a = studyToFiles(simulateStudy(DEFAULT_CONFIG).study);
    const b = studyToFiles(simulateStudy({ ...DEFAULT_CONFIG, seed: DEFAULT_CONFIG.seed + 1 }).study);
    expect(a["trials.csv"]).not.toBe(b["trials.csv"]);
  });
  test("reproduces the committed cohort data/ketamine-trd exactly", () => {
    const files = studyToFiles(simulateStudy(DEFAULT_CONFIG).study);
    for (const [name, text] of Object.entries(files)) expect(readFileSync(`data/ketamine-trd/${name}`, "utf8"), name).toBe(text);
  });
  test("has the published design", () => {
    const { study } = simulateStudy(DEFAULT_CONFIG);
    const trd = study.participants.filter((p) => p.group === "TRD");
    const hc = study.participants.filter((p) => p.group === "HC");
    expect([trd.length, hc.length]).toEqual([26, 30]);
    const ages = study.participants.map((p) => p.age as number);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(34);
    expect(Math.max(...ages)).toBeLessThanOrEqual(68);
    const meanAge = ages.reduce((s, x) => s + x, 0) / ages.length;
    expect(meanAge).toBeGreaterThan(49);
    expect(meanAge).toBeLessThan(56);
    const male = study.participants.filter((p) => p.sex === "M").length / study.participants.length;
    expect(male).toBeGreaterThan(0.35);
    expect(male).toBeLessThan(0.7);
    // 40 events per session; TRD have 3 sessions, HC 2.
    expect(study.trials.length).toBe(26 * 3 * 40 + 30 * 2 * 40);
    const baseline = study.clinical.filter((c) => c.session === "pre" && c.participant_id.startsWith("TRD"));
    expect(Math.min(...baseline.map((c) => c.score!))).toBeGreaterThan(20);
    expect(study.meta.synthetic).toBe(true);
  });
  test("the simulated study passes validation", () => {
    const r = validateStudy(studyToFiles(simulateStudy(DEFAULT_CONFIG).study));
    expect(r.errors).toEqual([]);
  });
  test("alternates event lists across sessions", () => {
    const { study } = simulateStudy(DEFAULT_CONFIG);
    const lists = (pid: string) => ["pre", "post1", "post3"].map((s) => study.trials.find((t) => t.participant_id === pid && t.session === s)?.event_id[0]);
    expect(lists("TRD01")).toEqual(["A", "B", "A"]);
    expect(lists("TRD02")).toEqual(["B", "A", "B"]);
  });
});
