import { describe, expect, it } from "vitest";
import { loadStudyFromDir } from "../../../src/lib/study/load.js";
import { planFromStudy } from "../../../src/lib/power/from-study.js";
import { DEFAULT_PLAN, checkPlan, parsePlan } from "../../../src/lib/power/plan.js";
import { PowerSimulator } from "../../../src/lib/power/simulate.js";
import { simConfig } from "../../../src/lib/power/engine.js";

describe("planFromStudy", () => {
  it("the bundled study gives a valid plan of its design, with the post-hoc warning", async () => {
    const study = await loadStudyFromDir("data/ketamine-trd");
    const { plan, notes } = planFromStudy(study);
    expect(checkPlan(plan).errors).toEqual([]);
    expect(plan.design.groups).toEqual([
      { label: "HC", n: 30, sessions: ["pre", "post1"] },
      { label: "TRD", n: 26, sessions: ["pre", "post1", "post3"] },
    ]);
    expect(plan.design.events_per_session).toBe(40);
    expect(plan.effects.learning_rates.TRD.post1.good).toBeCloseTo(0.531, 3);
    expect(plan.analysis.mediation).toEqual({ group: "TRD", mediator: ["pre", "post1"], outcome: ["pre", "post3"] });
    expect(notes.join(" ")).toMatch(/post-hoc power\) is a function of its p-value and is not evidence \(Hoenig & Heisey 2001\)/);
  });

  it("recovers the generating values from a large simulated study (method of moments, regression dilution corrected)", () => {
    const truth = parsePlan({ design: { groups: [{ label: "HC", n: 300, sessions: ["pre", "post1"] }, { label: "TRD", n: 600 }] }, effects: { learning_rates: DEFAULT_PLAN.effects.learning_rates, clinical: DEFAULT_PLAN.effects.clinical } });
    const study = new PowerSimulator(simConfig(truth)).draw(42);
    const { plan } = planFromStudy(study);
    const e = plan.effects;
    expect(e.between_sd).toBeCloseTo(DEFAULT_PLAN.effects.between_sd, 1);
    expect(Math.abs(e.session_sd - DEFAULT_PLAN.effects.session_sd)).toBeLessThan(0.02);
    expect(Math.abs(e.ee_sd - 16)).toBeLessThan(1.5);
    expect(Math.abs(e.bias_sd - 5)).toBeLessThan(1);
    expect(Math.abs(e.learning_rates.TRD.post1.good - 0.52)).toBeLessThan(0.02);
    expect(Math.abs(e.learning_rates.TRD.pre.bad - 0.43)).toBeLessThan(0.02);
    expect(e.noise[0]).toBeGreaterThan(3);
    expect(e.noise[1]).toBeLessThan(9);
    expect(Math.abs(e.clinical!.link - -14)).toBeLessThan(4);
    expect(e.clinical!.drop.TRD.post3).toBeCloseTo(-13, 0);
  });
});

describe("a study's plan with other run settings (the Plan page's study buttons)", () => {
  it("is the default-settings plan with seed, replicates, alpha and curves replaced", async () => {
    const study = await loadStudyFromDir("data/ketamine-trd");
    const run = { seed: 9, replicates: 321, alpha: 0.01, curves: { n: [10, 20], events: [20] } };
    const { plan } = planFromStudy(study);
    expect({ ...plan, ...run }).toEqual(planFromStudy(study, run as never).plan);
  });
});
