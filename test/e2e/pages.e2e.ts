/**
 * Browser tests against the built site (run `npm run build` first): every page loads in
 * Chromium with no console error, no failed request and no request leaving localhost;
 * screenshots of every page in light and dark mode go to test-results/screenshots/.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { mkdir } from "node:fs/promises";
import { useBuiltSite } from "./site.js";
import { watch } from "./browser.js";

export const PAGES = [
  { path: "/", name: "index", expectText: "Headline results" },
  { path: "/updates", name: "updates", expectText: "linear mixed model" },
  { path: "/learning-rates", name: "learning-rates", expectText: "Parameter recovery" },
  { path: "/mediation", name: "mediation", expectText: "Sensitivity of the indirect effect" },
  { path: "/participant", name: "participant", expectText: "One participant" },
  { path: "/data", name: "data", expectText: "Model equations (TeX)" },
  { path: "/analyse", name: "analyse", expectText: "never leave this browser" },
  { path: "/crossover", name: "crossover", expectText: "Exact McNemar test" },
  { path: "/parallel", name: "parallel", expectText: "Fisher's exact test" },
];

const site = useBuiltSite();
beforeAll(async () => {
  await mkdir("test-results/screenshots", { recursive: true });
});

describe.each(PAGES)("page $path", ({ path, name, expectText }) => {
  for (const scheme of ["light", "dark"] as const) {
    test(`loads cleanly in ${scheme} mode`, async () => {
      const context = await site.browser.newContext({ colorScheme: scheme, viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      const problems = watch(page);
      const t0 = Date.now();
      await page.goto(site.base + path, { waitUntil: "networkidle" });
      await page.waitForSelector("figure svg, table, .dropzone", { timeout: 15000 });
      const ms = Date.now() - t0;
      await page.screenshot({ path: `test-results/screenshots/${name}-${scheme}.png`, fullPage: true });
      const text = await page.textContent("body");
      expect(text).toContain(expectText);
      expect(text).toMatch(/synthetic/i);
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.failedRequests).toEqual([]);
      expect(problems.externalRequests).toEqual([]);
      console.log(`${path} (${scheme}): first chart after ${ms} ms`);
      await context.close();
    });
  }
});

describe("trial-design pages show the bundled cohorts' numbers", () => {
  test("Williams crossover: 7 of 12 responders under ketamine + placebo", async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(site.base + "/crossover", { waitUntil: "networkidle" });
    const row = await page.textContent('table[data-table="response"] tbody tr:first-child');
    expect(row?.replace(/\s+/g, " ")).toContain("placebo7");
    expect(await page.textContent('table[data-table="response"]')).toMatch(/placebo\s*7\s*12\s*58%/);
    expect(await page.locator('[data-test="mcnemar"]').count()).toBe(1);
    expect(await page.textContent("body")).toContain("period2");
    await context.close();
  });
});
