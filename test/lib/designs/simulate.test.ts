/** The bundled synthetic crossover and parallel studies (src/lib/designs/simulate.ts). */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  DESIGN_PUBLISHED,
  MURROUGH_CONFIG,
  WILLIAMS_CONFIG,
  calibrateCrossover,
  calibrateParallel,
  crossoverCalibration,
  designStudyToFiles,
  simulateCrossover,
  simulateParallel,
} from "../../../src/lib/designs/simulate.js";
import { analyzeDesign } from "../../../src/lib/designs/analyze.js";
import { validateStudy } from "../../../src/lib/study/validate/index.js";

describe("simulation of the crossover and parallel designs", () => {
  test("is deterministic and reproduces the committed folders byte for byte", () => {
    for (const [dir, files] of [
      ["data/williams2018-naltrexone", designStudyToFiles(simulateCrossover(WILLIAMS_CONFIG))],
      ["data/murrough2013-midazolam", designStudyToFiles(simulateParallel(MURROUGH_CONFIG))],
    ] as const) {
      expect(Object.keys(files).sort()).toEqual(["clinical.csv", "participants.csv", "study.json"]);
      for (const [name, text] of Object.entries(files)) expect(readFileSync(`${dir}/${name}`, "utf8"), `${dir}/${name}`).toBe(text);
    }
    expect(designStudyToFiles(simulateCrossover(WILLIAMS_CONFIG))).toEqual(designStudyToFiles(simulateCrossover(WILLIAMS_CONFIG)));
    expect(designStudyToFiles(simulateCrossover({ ...WILLIAMS_CONFIG, seed: 2 }))["clinical.csv"]).not.toBe(designStudyToFiles(simulateCrossover(WILLIAMS_CONFIG))["clinical.csv"]);
  });

  test("are labelled synthetic everywhere", () => {
    for (const dir of ["data/williams2018-naltrexone", "data/murrough2013-midazolam"]) {
      const meta = JSON.parse(readFileSync(`${dir}/study.json`, "utf8"));
      expect(meta.synthetic).toBe(true);
      expect(meta.description).toMatch(/^SYNTHETIC data/);
      expect(meta.title).toMatch(/\(synthetic cohort\)$/);
    }
  });

  test("Williams 2018: 12 completers, counterbalanced, 7 of 12 responders under ketamine + placebo, attenuation by naltrexone", () => {
    const study = simulateCrossover(WILLIAMS_CONFIG);
    expect(validateStudy(designStudyToFiles(study)).warnings).toEqual([]);
    expect(study.participants).toHaveLength(12);
    expect(study.participants.filter((p) => p.group === "PN")).toHaveLength(6);
    expect(study.clinical).toHaveLength(12 * 2 * 3);
    const a = analyzeDesign(study);
    expect(a.response[0]).toMatchObject({ condition: "placebo", responders: 7, n: 12 });
    expect(a.response[1].responders).toBeLessThan(7);
    // Smaller reductions with naltrexone on days 1 and 3, HAM-D-17 and HAM-D-6.
    for (const m of a.models) {
      const c = m.fixed.find((f) => f.term === "conditionnaltrexone")!;
      expect(c.estimate, `${m.scale} ${m.session}`).toBeGreaterThan(0);
      expect(c.p!, `${m.scale} ${m.session}`).toBeLessThan(0.05);
    }
    expect(a.models.map((m) => `${m.scale} ${m.session}`)).toEqual(["HAM-D-17 day1", "HAM-D-17 day3", "HAM-D-6 day1", "HAM-D-6 day3"]);
    // HAM-D-6 never exceeds HAM-D-17 or its own maximum.
    for (const r of study.clinical) expect(r.secondary!.hamd6!).toBeLessThanOrEqual(Math.min(22, r.score!));
  });

  test("the Williams seed is the smallest that meets the targets", () => {
    const c = crossoverCalibration(WILLIAMS_CONFIG);
    expect(c.meets).toBe(true);
    expect(c.responders_reference).toBe(7);
    expect(c.min_carryover_p!).toBeGreaterThan(0.1);
    expect(calibrateCrossover(WILLIAMS_CONFIG.seed)[0].seed).toBe(WILLIAMS_CONFIG.seed);
  });

  test("Murrough 2013: N = 73 randomised 2:1 (48:25), MADRS at baseline and 24 h, mean changes near the assumed -16.5 and -8.8", () => {
    const study = simulateParallel(MURROUGH_CONFIG);
    expect(study.participants).toHaveLength(73);
    expect(study.participants.filter((p) => p.group === "ketamine")).toHaveLength(48);
    const a = analyzeDesign(study);
    const at24 = (arm: string) => a.summary.find((s) => s.scale === "MADRS" && s.condition === arm && s.session === "24h")!;
    expect(at24("ketamine").n_change).toBe(47);
    expect(at24("midazolam").n_change).toBe(25);
    expect(Math.abs(at24("ketamine").mean_change! + 16.5)).toBeLessThan(0.1);
    expect(Math.abs(at24("midazolam").mean_change! + 8.8)).toBeLessThan(0.1);
    expect(Math.min(...study.clinical.filter((r) => r.session === "baseline").map((r) => r.score!))).toBeGreaterThanOrEqual(22);
  });

  test("the Murrough seed is the closest of seeds 1-1000 to the assumed changes", () => {
    expect(calibrateParallel(1000)[0].seed).toBe(MURROUGH_CONFIG.seed);
  });

  test("the published figures shown beside the results", () => {
    expect(DESIGN_PUBLISHED["williams2018-naltrexone"].figures.map((f) => f.value)).toContain("7 of 12");
    expect(DESIGN_PUBLISHED["murrough2013-midazolam"].figures[0].value).toBe("N = 73, ketamine : midazolam 2:1");
  });
});
