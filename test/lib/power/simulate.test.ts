import { describe, expect, it } from "vitest";
import { simulateDesign, type DesignSimConfig } from "../../../src/lib/task/simulate-design.js";
import { PowerSimulator } from "../../../src/lib/power/simulate.js";

const configs: Omit<DesignSimConfig, "seed">[] = [
  {
    id: "bundled-like",
    groups: [{ label: "HC", n: 12, sessions: ["pre", "post1"] }, { label: "TRD", n: 9 }],
    sessions: ["pre", "post1", "post3"],
    lr: { TRD: { pre: { good: 0.4, bad: 0.43 }, post1: { good: 0.52, bad: 0.36 }, post3: { good: 0.5, bad: 0.36 } }, HC: { pre: { good: 0.5, bad: 0.38 }, post1: { good: 0.48, bad: 0.4 } } },
    clinical: { name: "MADRS", min: 0, max: 60, baseline: { mean: 31, sd: 5 }, drop: { TRD: { post1: -8, post3: -13 } }, link: -14, changeSd: 3 },
    demographics: false,
  },
  // More events than the lists hold (extra base rates drawn per study), positive events, many missing responses, three groups.
  { id: "wide", groups: [{ label: "A", n: 3 }, { label: "B", n: 4 }, { label: "C", n: 105 }], sessions: ["s1", "s2"], eventsPerSession: 70, positiveEvents: 45, missingRate: 0.2, noise: [2, 12], betweenSd: 0.2, sessionSd: 0.01, eeSd: 9, biasSd: 11, demographics: false },
  { id: "one", groups: [{ label: "adults", n: 30 }], sessions: ["s1"], eventsPerSession: 20, positiveEvents: 10, demographics: false },
];

describe("PowerSimulator", () => {
  for (const config of configs)
    it(`draws simulateDesign's studies, value for value (${config.id})`, () => {
      const sim = new PowerSimulator(config);
      for (const seed of [1, 2, 361, 123457]) {
        const fast = sim.draw(seed);
        const ref = simulateDesign({ ...config, seed }).study;
        expect(fast.meta.groups).toEqual(ref.meta.groups);
        expect(fast.meta.sessions).toEqual(ref.meta.sessions);
        expect(fast.meta.clinical_scale).toEqual(ref.meta.clinical_scale);
        expect(fast.participants).toEqual(ref.participants);
        expect(fast.trials).toEqual(ref.trials);
        expect(fast.clinical).toEqual(ref.clinical);
        expect(fast.events).toEqual(ref.events);
      }
    });

  it("returns the same study object, refilled (its design is computed once)", () => {
    const sim = new PowerSimulator(configs[0]);
    const a = sim.draw(1);
    const e1 = a.trials.map((t) => t.first_estimate);
    const b = sim.draw(2);
    expect(b).toBe(a);
    expect(b.trials.map((t) => t.first_estimate)).not.toEqual(e1);
    expect(sim.draw(1).trials.map((t) => t.first_estimate)).toEqual(e1);
  });

  it("with a driver session, the clinical change at every later session follows the asymmetry change to the driver", () => {
    const base = configs[0];
    const sim = new PowerSimulator({ ...base, clinical: { ...base.clinical!, link: -40, changeSd: 0.01, drop: {}, driver: "post1" } });
    const s = sim.draw(5);
    // With almost no noise, the post1 and post3 scores of a patient are (nearly) equal: one driver.
    const trd = s.clinical.filter((c) => c.participant_id.startsWith("TRD"));
    const by = new Map<string, Record<string, number>>();
    for (const c of trd) by.set(c.participant_id, { ...(by.get(c.participant_id) ?? {}), [c.session]: c.score! });
    for (const v of by.values()) expect(Math.abs(v.post1 - v.post3)).toBeLessThanOrEqual(1);
  });
});
