import { describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import tcdf from "@stdlib/stats-base-dists-t-cdf";
import nquantile from "@stdlib/stats-base-dists-normal-quantile";
import fcdf from "@stdlib/stats-base-dists-f-cdf";
import * as vendored from "../../src/vendor/stdlib-dists.js";
import { bundleStdlib } from "../../scripts/vendor-stdlib.js";

describe("the vendored @stdlib bundle", () => {
  test("is what `npm run vendor` makes from the installed packages (not stale)", async () => {
    const { js, legal } = await bundleStdlib();
    expect(readFileSync("src/vendor/stdlib-dists.js", "utf8")).toBe(js);
    expect(readFileSync("src/vendor/stdlib-dists.LEGAL.txt", "utf8")).toBe(legal);
  });
  test("computes the same values as the packages themselves", () => {
    for (const [x, df] of [[-2.67, 216], [0.3, 3], [5, 1.5]]) expect(vendored.tcdf(x, df)).toBe(tcdf(x, df));
    for (const p of [0.001, 0.5, 0.975]) expect(vendored.nquantile(p, 0, 1)).toBe(nquantile(p, 0, 1));
    expect(vendored.fcdf(2.5, 3, 40)).toBe(fcdf(2.5, 3, 40));
  });
});
