/**
 * "Analyse your study" in Chromium: a valid upload produces the dashboard, an invalid one the
 * list of errors, and a hostile participant id is shown as text and runs nothing.
 */
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { useBuiltSite } from "./site.js";
import { watch } from "./browser.js";
import { readFileSync } from "node:fs";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles } from "../../src/lib/task/simulate.js";
import { validateStudy, type StudyFiles } from "../../src/lib/study/validate/index.js";
import { analyzeStudy, sessionsByGroup, designOf } from "../../src/lib/analysis/pipeline.js";
import { analysisDocument } from "../../src/lib/analysis/report.js";
import { defaultParams, type AnalysisParams } from "../../src/lib/analysis/params.js";
import { fmt } from "../../src/components/theme.js";

const site = useBuiltSite();

/** `actual` with every number within 1e-12 (relative) of `expected`'s replaced by that number. */
function nearly(actual: unknown, expected: unknown): unknown {
  if (typeof actual === "number" && typeof expected === "number") return Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)) ? expected : actual;
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.map((a, i) => nearly(a, expected[i]));
  if (actual && expected && typeof actual === "object" && typeof expected === "object")
    return Object.fromEntries(Object.entries(actual).map(([k, v]) => [k, nearly(v, (expected as Record<string, unknown>)[k])]));
  return actual;
}

const HOSTILE = "<img src=x onerror=alert(1)>";

function studyFiles(rename?: [string, string]): Record<string, string> {
  const files = studyToFiles(simulateStudy({ ...DEFAULT_CONFIG, nTreatment: 6, nReference: 6, seed: 11 }).study);
  if (!rename) return files;
  return Object.fromEntries(Object.entries(files).map(([n, t]) => [n, n.endsWith(".csv") ? t.split(rename[0] + ",").join(rename[1] + ",") : t]));
}

async function upload(files: Record<string, string>): Promise<{ page: Page; problems: ReturnType<typeof watch>; dialogs: string[] }> {
  const page = await site.browser.newPage();
  const problems = watch(page);
  const dialogs: string[] = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(site.base + "/analyse");
  await page.waitForSelector('input[name="files"]');
  await page.setInputFiles(
    'input[name="files"]',
    Object.entries(files).map(([name, text]) => ({ name, mimeType: "text/plain", buffer: Buffer.from(text) })),
  );
  await page.waitForSelector(".validation-result", { timeout: 20000 });
  return { page, problems, dialogs };
}

describe("analyse your study", () => {
  test("the page says the data stay in the browser and offers a template", async () => {
    const page = await site.browser.newPage();
    await page.goto(site.base + "/analyse");
    expect(await page.textContent('[data-privacy="local"]')).toContain("never leave this browser");
    const href = await page.getAttribute('a[download="study-template.zip"]', "href");
    const res = await page.request.get(new URL(href!, site.base + "/analyse").toString());
    expect(res.status()).toBe(200);
    expect((await res.body()).subarray(0, 2).toString()).toBe("PK");
    await page.close();
  });

  test("a valid upload produces the dashboard", async () => {
    const { page, problems } = await upload(studyFiles());
    expect(await page.getAttribute(".validation-result", "data-valid")).toBe("true");
    await page.waitForSelector('[data-metric="indirect"]', { timeout: 20000 });
    expect(await page.textContent("#dashboard")).toContain("Dashboard");
    expect(await page.locator("figure").count()).toBeGreaterThanOrEqual(5);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.externalRequests).toEqual([]);
    await page.close();
  });

  test("an invalid upload shows its errors with file, line and column", async () => {
    const files = studyFiles();
    files["clinical.csv"] = files["clinical.csv"].replace(/\nTRD01,pre,\d+/, "\nTRD01,pre,75");
    const { page } = await upload(files);
    expect(await page.getAttribute(".validation-result", "data-valid")).toBe("false");
    const row = await page.textContent("table.issues.error tbody tr");
    expect(row).toContain("clinical.csv");
    expect(row).toContain('expected a MADRS score from 0 to 60, got "75"');
    expect(await page.locator('[data-metric="indirect"]').count()).toBe(0);
    await page.close();
  });

  test("a hostile participant id is shown literally and runs nothing", async () => {
    // Valid study whose participant TRD01 is called <img src=x onerror=alert(1)>.
    const { page, dialogs, problems } = await upload(studyFiles(["TRD01", HOSTILE]));
    expect(await page.getAttribute(".validation-result", "data-valid")).toBe("true");
    await page.waitForSelector('[data-metric="indirect"]', { timeout: 20000 });
    // Invalid study that names the hostile id in an error message.
    const files = studyFiles();
    files["trials.csv"] = files["trials.csv"].replace("\nHC01,", `\n${HOSTILE},`);
    const second = await upload(files);
    const text = await second.page.textContent("table.issues.error");
    expect(text).toContain(`participant "${HOSTILE}" is not declared in participants.csv`);
    for (const p of [page, second.page]) {
      expect(await p.locator('img[src="x"]').count()).toBe(0);
    }
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(second.dialogs).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
    await second.page.close();
  });

  test("live controls: every estimate follows them, only what depends on a control is recomputed", async () => {
    const files = studyFiles();
    const study = validateStudy(files as StudyFiles).study!;
    const defaults: AnalysisParams = { ...defaultParams(designOf(study)), boot: 0 };
    const node = (change: Partial<AnalysisParams>) => analyzeStudy(study, { ...defaults, ...change });
    const indirectOf = (change: Partial<AnalysisParams>) => {
      const m = node(change).mediation;
      return fmt("indirect" in m ? m.indirect : null, 3);
    };
    const { page, problems } = await upload(files);
    await page.waitForSelector('[data-metric="analyse-indirect"]', { timeout: 20000 });
    for (const name of ["model", "range", "mintrials", "cov", "level", "lmm", "med", "out"]) expect(await page.locator(`[data-param="${name}"]`).count()).toBe(1);
    expect(await page.textContent('[data-metric="analyse-indirect"]')).toBe(indirectOf({}));
    // Tag the rendered elements: a control must not re-render what does not depend on it.
    const tag = () =>
      page.evaluate(() => {
        const pick = (s: string) => document.querySelector(s) as (Element & { __tag?: boolean }) | null;
        for (const s of ['[data-metric="analyse-lmm"]', "figure[data-participants-drawn]", "figure:has(circle[data-participant])"]) pick(s)!.__tag = true;
      });
    const tagged = () =>
      page.evaluate(() => ['[data-metric="analyse-lmm"]', "figure[data-participants-drawn]", "figure:has(circle[data-participant])"].map((s) => (document.querySelector(s) as Element & { __tag?: boolean }).__tag === true));
    // A model change: new learning rates and mediation, the same mixed model (not refitted).
    await tag();
    const before = await page.textContent('[data-metric="analyse-indirect"]');
    await page.selectOption('[data-param="model"] select', "ee-weighted");
    await page.waitForFunction((b) => document.querySelector('[data-metric="analyse-indirect"]')?.textContent !== b, before);
    expect(await page.textContent('[data-metric="analyse-indirect"]')).toBe(indirectOf({ model: "ee-weighted" }));
    expect(await tagged()).toEqual([true, false, false]);
    // A covariate change: a new mixed model, the same learning rates and mediation.
    await tag();
    const lmmBefore = await page.textContent('[data-metric="analyse-lmm"]');
    await page.locator('[data-param="cov"] label', { hasText: "education" }).locator("input").uncheck();
    await page.waitForFunction((b) => document.querySelector('[data-metric="analyse-lmm"]')?.textContent !== b, lmmBefore);
    expect(await tagged()).toEqual([false, true, true]);
    const lmm = node({ model: "ee-weighted", cov: ["age"] }).lmm;
    const key = lmm.fixed!.find((r) => r.term === lmm.key_term)!;
    expect(await page.textContent('[data-metric="analyse-lmm"]')).toContain("update ~ group * session * valence + age + (1 | participant_id)");
    expect(await page.textContent('[data-metric="analyse-lmm"] tr.highlight')).toContain(fmt(key.estimate, 3));
    // An exclusion: everything follows.
    await page.fill('[data-param="mintrials"] input[type="number"]', "12");
    await page.waitForFunction(() => !/^0 participant-sessions/.test(document.querySelector('[data-metric="analyse-excluded"]')?.textContent ?? ""));
    const params = { model: "ee-weighted" as const, cov: ["age" as const], mintrials: 12 };
    expect(await page.textContent('[data-metric="analyse-excluded"]')).toContain(`${node(params).scored.excluded.length} participant-session`);
    expect(await page.textContent('[data-metric="analyse-indirect"]')).toBe(indirectOf(params));
    // The downloaded JSON is npm run analyze's for the parameters shown.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('a[data-download="analysis"]')]);
    const doc = JSON.parse(readFileSync((await download.path())!, "utf8"));
    const expected = JSON.parse(JSON.stringify(analysisDocument(study, node(params), doc.warnings.filter((w: string) => w.startsWith("validation: ")))));
    expect(doc.options).toEqual(expected.options);
    // The same document; a number may differ in its last bit (Chromium's and Node's engines: the REML criterion).
    expect(nearly(doc, expected)).toEqual(expected);
    // The data are local: the page keeps its URL.
    expect(new URL(page.url()).search).toBe("");
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
  });
});
