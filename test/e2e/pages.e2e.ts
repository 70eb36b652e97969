/**
 * Browser tests against the built site (run `npm run build` first): every page loads in
 * Chromium with no console error, no failed request and no request leaving localhost;
 * screenshots of every page in light and dark mode go to test-results/screenshots/.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { mkdir } from "node:fs/promises";
import { useBuiltSite } from "./site.js";
import { watch } from "./browser.js";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { STUDY_PAGES, pageUnavailable, studyPagePath } from "../../src/lib/study/catalog.js";

/** Every page of every study in data/, with the text each must show (a page that does not apply says so). */
function studyPages(): { path: string; name: string; expectText: string; synthetic: boolean }[] {
  const out: { path: string; name: string; expectText: string; synthetic: boolean }[] = [];
  for (const id of readdirSync("data").sort()) {
    if (!existsSync(`data/${id}/study.json`)) continue;
    const meta = JSON.parse(readFileSync(`data/${id}/study.json`, "utf8"));
    const design = meta.design ?? "belief-updating";
    const entry = { design, sessions: meta.sessions.length, clinical: meta.clinical_scale !== undefined && existsSync(`data/${id}/clinical.csv`) };
    for (const spec of STUDY_PAGES) {
      const applies = pageUnavailable(spec, entry) === null;
      const text: Record<string, string> = { "": design === "belief-updating" ? "Headline results" : design === "crossover" ? "Exact McNemar test" : "Fisher's exact test", updates: "linear mixed model", "learning-rates": "Parameter recovery", mediation: "Sensitivity of the indirect effect", participant: "One participant", data: "Model equations" };
      out.push({ path: studyPagePath(id, spec.page), name: `${id}-${spec.page || "overview"}`, expectText: applies ? text[spec.page] : "This page does not apply", synthetic: meta.synthetic });
    }
  }
  return out;
}

export const PAGES = [
  { path: "/", name: "index", expectText: "Each study below has its own dashboard", synthetic: true },
  ...studyPages(),
  { path: "/analyse", name: "analyse", expectText: "never leave this browser", synthetic: false },
  { path: "/format", name: "format", expectText: "The study folder format", synthetic: false },
  { path: "/plan", name: "plan", expectText: "How many participants", synthetic: false },
];

const site = useBuiltSite();
beforeAll(async () => {
  await mkdir("test-results/screenshots", { recursive: true });
});

describe.each(PAGES)("page $path", ({ path, name, expectText, synthetic }) => {
  for (const scheme of ["light", "dark"] as const) {
    test(`loads cleanly in ${scheme} mode`, async () => {
      const context = await site.browser.newContext({ colorScheme: scheme, viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      const problems = watch(page);
      const t0 = Date.now();
      await page.goto(site.base + path, { waitUntil: "networkidle" });
      await page.waitForSelector("figure svg, table, .dropzone, .not-applicable, h1", { timeout: 15000 });
      const ms = Date.now() - t0;
      await page.screenshot({ path: `test-results/screenshots/${name}-${scheme}.png`, fullPage: true });
      const text = await page.textContent("body");
      expect(text).toContain(expectText);
      // A synthetic study's pages say so; the pages of real data never say "synthetic".
      if (synthetic) expect(text).toMatch(/synthetic/i);
      expect(problems.consoleErrors).toEqual([]);
      expect(problems.failedRequests).toEqual([]);
      expect(problems.externalRequests).toEqual([]);
      console.log(`${path} (${scheme}): first chart after ${ms} ms`);
      await context.close();
    });
  }
});

describe.each(PAGES)("page $path on a phone", ({ path }) => {
  test("is no wider than the screen (390 px): wide tables and equations scroll inside their column", async () => {
    const context = await site.browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: "dark" });
    const page = await context.newPage();
    await page.goto(site.base + path, { waitUntil: "networkidle" });
    await page.waitForSelector("figure svg, table, .dropzone, .not-applicable, h1", { timeout: 15000 });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });
});

describe("today's URLs keep working", () => {
  for (const [from, to] of [
    ["/updates?model=single", "/studies/ketamine-trd/updates?model=single"],
    ["/mediation", "/studies/ketamine-trd/mediation"],
    ["/learning-rates", "/studies/ketamine-trd/learning-rates"],
    ["/participant?id=TRD07", "/studies/ketamine-trd/participant?id=TRD07"],
    ["/data", "/studies/ketamine-trd/data"],
    ["/crossover", "/studies/williams2018-naltrexone/"],
    ["/parallel", "/studies/murrough2013-midazolam/"],
    ["/embed/mediation?med=pre,post1", "/studies/ketamine-trd/embed/mediation?med=pre,post1"],
  ])
    test(`${from} leads to ${to}`, async () => {
      const context = await site.browser.newContext();
      const page = await context.newPage();
      await page.goto(site.base + from);
      await page.waitForURL((u) => `${u.pathname}${u.search}` === to, { timeout: 10000 });
      await context.close();
    });
});

describe("trial-design pages show the bundled cohorts' numbers", () => {
  test("Williams crossover: 7 of 12 responders under ketamine + placebo", async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(site.base + "/studies/williams2018-naltrexone/", { waitUntil: "networkidle" });
    const row = await page.textContent('table[data-table="response"] tbody tr:first-child');
    expect(row?.replace(/\s+/g, " ")).toContain("placebo7");
    expect(await page.textContent('table[data-table="response"]')).toMatch(/placebo\s*7\s*12\s*58%/);
    expect(await page.locator('[data-test="mcnemar"]').count()).toBe(1);
    expect(await page.textContent("body")).toContain("period2");
    await context.close();
  });
});

describe("Plan page", () => {
  test("shows a first power estimate within seconds, and a study's effects fill the plan and the URL", async () => {
    const context = await site.browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(site.base + "/plan");
    await page.waitForSelector('table[data-table="design"] tr[data-metric="asymmetry"] strong', { timeout: 20000 });
    expect(await page.textContent('table[data-table="design"] tr[data-metric="asymmetry"] strong')).toMatch(/^\d+(\.\d)? %$/);
    await page.getByRole("button", { name: /^Effects from Ketamine/ }).click();
    await page.waitForFunction(() => document.querySelector("[data-source]")?.textContent?.includes("effects fitted to"), null, { timeout: 20000 });
    expect(await page.textContent("[data-source]")).toContain("(synthetic)");
    await page.waitForFunction(() => location.search.length > 1, null, { timeout: 20000 });
    expect(problems.consoleErrors).toEqual([]);
    await context.close();
  });
});

describe("the exported module /embed/figures.js", () => {
  test("another page imports it and draws a live chart of the site's default study with the dashboard's parameters", async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(site.base + "/format", { waitUntil: "networkidle" });
    // As a string: vitest would rewrite a dynamic import() in a function.
    const drawn = (await page.evaluate(`(async () => {
      const mod = await import(${JSON.stringify(`${site.base}/embed/figures.js`)});
      const el = await mod.figure("updates", { params: "?model=single", width: 500 });
      document.body.append(el);
      return { svg: el.querySelectorAll("svg").length, text: el.textContent ?? "" };
    })()`)) as { svg: number; text: string };
    expect(drawn.svg).toBeGreaterThan(0);
    expect(drawn.text).toMatch(/Synthetic cohort/);
    expect(problems.consoleErrors).toEqual([]);
    await context.close();
  });
});
