/** benchBayes: the timing entry point for `npm run bench` (10,000-session figures: docs/bayesian-models.md). */
import { expect, test } from "vitest";
import { BAYES_MODELS, benchBayes, simulateBenchSessions } from "../../../../src/lib/models/bayes/index.js";
import { readFixture, sessionInput, type VlFixture } from "./fixtures.js";

test("times every model on simulated sessions, or on given ones (the bundled study)", () => {
  const sim = benchBayes({ sessions: 500, seed: 2 });
  expect(sim.sessions).toBe(500);
  expect(sim.trials).toBe(40);
  expect(sim.models.map((m) => m.model)).toEqual([...BAYES_MODELS]);
  for (const m of sim.models) {
    expect(m.ms).toBeGreaterThan(0);
    expect(m.mean_iterations).toBeGreaterThanOrEqual(1);
  }
  const study = readFixture<VlFixture>("vl-study.json").sessions.map(sessionInput);
  const res = benchBayes({ input: study, models: ["exp-asymmetry"] });
  expect([res.sessions, res.trials, res.models.length]).toEqual([138, null, 1]);
  // Generous bound (CI machines vary): the bundled study in well under a second.
  expect(res.total_ms).toBeLessThan(1000);
  if (process.env.BAYES_REPORT) console.log(JSON.stringify({ sim, res }));
});

test("simulateBenchSessions is seeded and follows the study's design", () => {
  const a = simulateBenchSessions(3, 10, 4);
  expect(a).toEqual(simulateBenchSessions(3, 10, 4));
  for (const s of a)
    for (let t = 0; t < 10; t++) {
      expect(s.e1[t]).toBeGreaterThanOrEqual(5);
      expect(s.br[t]).toBeLessThanOrEqual(95);
      expect(s.e1[t]).not.toBe(s.br[t]);
      expect(s.n[t]).toBe(s.br[t] < s.e1[t] ? 1 : -1);
    }
});
