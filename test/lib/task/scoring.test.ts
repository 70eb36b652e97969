import { describe, expect, test } from "vitest";
import { groupByParticipantSession } from "../../../src/lib/task/scoring.js";
import { scoreTrials } from "../../../src/lib/task/columnar.js";
import { updateOf, valenceOf } from "../../../src/lib/task/news.js";
import type { Trial } from "../../../src/lib/study/types.js";

const trial = (e1: number | null, br: number | null, e2: number | null, event = "e"): Trial => ({
  participant_id: "p1",
  session: "pre",
  event_id: event,
  first_estimate: e1,
  base_rate: br,
  second_estimate: e2,
});

describe("valence", () => {
  test("base rate below the first estimate is good news", () => expect(valenceOf(40, 25)).toBe("good"));
  test("base rate above the first estimate is bad news", () => expect(valenceOf(10, 30)).toBe("bad"));
  test("equal is neither", () => expect(valenceOf(30, 30)).toBeNull());
});

describe("update moves toward the base rate when positive", () => {
  // Good news: E1 = 40, BR = 25, E2 = 30 -> update = 40 - 30 = 10 (moved 10 points down toward 25).
  test("good news", () => expect(updateOf(40, 25, 30)).toBe(10));
  // Bad news: E1 = 10, BR = 30, E2 = 22 -> update = 22 - 10 = 12 (moved up toward 30).
  test("bad news", () => expect(updateOf(10, 30, 22)).toBe(12));
  // Moving away from the base rate is a negative update: E1 = 10, BR = 30, E2 = 5 -> -5.
  test("away from the base rate is negative", () => expect(updateOf(10, 30, 5)).toBe(-5));
});

describe("scoreTrials", () => {
  const trials = [
    trial(40, 25, 30, "a"), // good, update 10, EE 15
    trial(10, 30, 22, "b"), // bad, update 12, EE -20
    trial(30, 30, 28, "c"), // EE = 0: excluded
    trial(50, null, 40, "d"), // missing base rate
    trial(50, 20, null, "e"), // missed second estimate
    trial(120, 20, 30, "f"), // out of range
  ];
  const { trials: scored, counts } = scoreTrials(trials);
  test("counts every exclusion by reason", () => {
    expect(counts).toEqual({ total: 6, scored: 2, missing: 2, zeroError: 1, outOfRange: 1, recallError: 0 });
  });
  test("scores by hand", () => {
    expect(scored.map((t) => [t.event_id, t.valence, t.ee, t.update])).toEqual([
      ["a", "good", 15, 10],
      ["b", "bad", -20, 12],
    ]);
  });
  test("a narrower valid range excludes more", () => {
    const r = scoreTrials(trials, { validRange: [5, 45] });
    // a: all within [5, 45] -> kept; b: 10, 30, 22 kept.
    expect(r.counts.scored).toBe(2);
    const r2 = scoreTrials(trials, { validRange: [15, 100] });
    // b has E1 = 10 < 15 -> out of range; f (E1 120) too.
    expect(r2.counts).toMatchObject({ scored: 1, outOfRange: 2 });
  });
  test("groups by participant and session", () => {
    const g = groupByParticipantSession([...scored, { ...scored[0], session: "post1" }]);
    expect(g.map((x) => [x.session, x.trials.length])).toEqual([
      ["pre", 2],
      ["post1", 1],
    ]);
  });
});

import { pairedTTest } from "../../../src/lib/task/summary.js";
describe("pairedTTest", () => {
  test("matches a hand calculation", () => {
    // differences 1, 2, 3, 6: mean 3, sd sqrt(((-2)^2 + 1 + 0 + 9) / 3) = sqrt(14/3), t = 3 / (sqrt(14/3)/2) = 2.7775
    const r = pairedTTest([2, 4, 6, 10, null], [1, 2, 3, 4, 5]);
    expect(r.n).toBe(4);
    expect(r.mean_diff).toBe(3);
    expect(r.t).toBeCloseTo(3 / (Math.sqrt(14 / 3) / 2), 12);
    expect(r.df).toBe(3);
    // R: t.test(c(2,4,6,10), c(1,2,3,4), paired = TRUE)$p.value = 0.06913686926
    expect(r.p).toBeCloseTo(0.06913686926, 9);
  });
});
