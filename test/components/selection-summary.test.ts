import { describe, expect, it } from "vitest";
import { summariseSelection } from "../../src/components/selection-summary.js";

const points = [
  { participant_id: "K1", dM: 0.1, dY: -10 },
  { participant_id: "K2", dM: 0.3, dY: -6 },
  { participant_id: "K3", dM: NaN, dY: -2 },
];

describe("summariseSelection", () => {
  it("counts the selected patients and averages their changes", () => {
    const s = summariseSelection(points, ["K1", "K2", "nobody"]);
    expect(s.n).toBe(2);
    expect(s.mean_dM).toBeCloseTo(0.2, 12);
    expect(s.mean_dY).toBe(-8);
  });

  it("ignores non-finite values in the means, summarises everyone for a null selection", () => {
    expect(summariseSelection(points, null)).toMatchObject({ n: 3, mean_dY: -6 });
    expect(summariseSelection(points, ["K3"])).toEqual({ n: 1, mean_dM: null, mean_dY: -2 });
    expect(summariseSelection(points, [])).toEqual({ n: 0, mean_dM: null, mean_dY: null });
  });
});
