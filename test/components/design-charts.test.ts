import { describe, expect, test } from "vitest";
import { JSDOM } from "jsdom";
import { designTrajectories } from "../../src/components/design-trajectories.js";
import { responseBars } from "../../src/components/response-bars.js";

const { document } = new JSDOM("<!doctype html><body></body>").window;

describe("crossover trajectories", () => {
  const rows = ["P1", "P2"].flatMap((id, i) =>
    ["placebo", "naltrexone"].flatMap((condition) =>
      ["baseline", "day1"].map((session, k) => ({ participant_id: id, condition, session, score: session === "baseline" ? 24 + i : condition === "placebo" ? 10 + k : 20 })),
    ),
  );
  rows.push({ participant_id: "P3", condition: "placebo", session: "day1", score: null as unknown as number });
  const fig = designTrajectories(rows, { document, sessions: ["baseline", "day1"], conditions: ["placebo", "naltrexone"], scale: { name: "HAM-D-17", min: 0, max: 52 }, note: "Synthetic." });
  test("one line per participant and condition, a dot per score, missing scores left out", () => {
    expect(fig.querySelectorAll('g[aria-description="participant lines"] path').length).toBe(4);
    expect(fig.querySelectorAll('g[aria-description="participant dots"] circle').length).toBe(8);
    expect([...fig.querySelectorAll("[data-participant]")].some((e) => e.getAttribute("data-participant") === "P3")).toBe(false);
  });
  test("labels the scale and says what a line is", () => {
    expect(fig.textContent).toContain("HAM-D-17 (points, 0–52)");
    expect(fig.querySelector("figcaption")?.textContent).toContain("Each thin line is one participant's HAM-D-17 score under one condition");
    expect(fig.querySelector("figcaption")?.textContent).toContain("Synthetic.");
  });
});

describe("response bars", () => {
  const fig = responseBars(
    [
      { condition: "placebo", responders: 7, n: 12, rate: 7 / 12, ci: [0.277, 0.848] },
      { condition: "naltrexone", responders: 1, n: 12, rate: 1 / 12, ci: [0.002, 0.385] },
    ],
    { document, conditions: ["placebo", "naltrexone"], definition: "≥ 50% reduction of HAM-D-17 on day1" },
  );
  test("one bar per condition labelled responders/n, the rate and its exact interval", () => {
    expect(fig.querySelectorAll('g[aria-description="response rates"] rect').length).toBe(2);
    const labels = [...fig.querySelectorAll('g[aria-description="counts and intervals"] text')].map((t) => [...t.querySelectorAll("tspan")].map((s) => s.textContent));
    expect(labels).toEqual([
      ["7/12 = 58.3%", "95% CI 27.7–84.8%"],
      ["1/12 = 8.3%", "95% CI 0.2–38.5%"],
    ]);
    expect(fig.textContent).toContain("Responders (%)");
    expect(fig.querySelector("figcaption")?.textContent).toContain("exact 95% confidence interval (Clopper–Pearson)");
  });
  test("the whisker spans the interval, with caps at both ends", () => {
    const y = (fig as unknown as { scale(n: "y"): { apply(v: number): number } }).scale("y");
    const whiskers = [...fig.querySelectorAll('g[aria-description="intervals"] line')].map((l) => [Number(l.getAttribute("y1")), Number(l.getAttribute("y2"))].sort((a, b) => a - b));
    expect(whiskers[0][0]).toBeCloseTo(y.apply(84.8), 5);
    expect(whiskers[0][1]).toBeCloseTo(y.apply(27.7), 5);
    expect(fig.querySelectorAll('g[aria-description="interval ends"] line').length).toBe(4);
  });
});
