/**
 * "Analyse your study" in Chromium: a valid upload produces the dashboard, an invalid one the
 * list of errors, and a hostile participant id is shown as text and runs nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { Server } from "node:http";
import { serveDist } from "./server.js";
import { launch, watch } from "./browser.js";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles } from "../../src/lib/simulate.js";

let browser: Browser;
let server: Server;
let base: string;
beforeAll(async () => {
  ({ server, url: base } = await serveDist("dist"));
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

const HOSTILE = "<img src=x onerror=alert(1)>";

function studyFiles(rename?: [string, string]): Record<string, string> {
  const files = studyToFiles(simulateStudy({ ...DEFAULT_CONFIG, nTreatment: 6, nReference: 6, seed: 11 }).study);
  if (!rename) return files;
  return Object.fromEntries(Object.entries(files).map(([n, t]) => [n, n.endsWith(".csv") ? t.split(rename[0] + ",").join(rename[1] + ",") : t]));
}

async function upload(files: Record<string, string>): Promise<{ page: Page; problems: ReturnType<typeof watch>; dialogs: string[] }> {
  const page = await browser.newPage();
  const problems = watch(page);
  const dialogs: string[] = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(base + "/analyse");
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
    const page = await browser.newPage();
    await page.goto(base + "/analyse");
    expect(await page.textContent('[data-privacy="local"]')).toContain("never leave this browser");
    const href = await page.getAttribute('a[download="study-template.zip"]', "href");
    const res = await page.request.get(new URL(href!, base + "/analyse").toString());
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
});
