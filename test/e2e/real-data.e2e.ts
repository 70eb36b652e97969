/**
 * A site built from a lab's own folder of studies (BUK_DATA_DIR) whose study.json says
 * "synthetic": false: no page of it says "synthetic", and every page of each study loads cleanly.
 * The kit is built in a scratch copy (its own Framework cache), from two of the design fixtures
 * relabelled as a lab's data (one group and three sessions with a clinical scale; two groups and one
 * session): the numbers do not matter here, only what the pages say of their provenance.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useBuiltSite } from "./site.js";
import { watch } from "./browser.js";
import { STUDY_PAGES, studyPagePath } from "../../src/lib/study/catalog.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const kit = mkdtempSync(join(tmpdir(), "buk-real-site-"));
const data = join(kit, "lab-studies");
const LAB = [
  { from: "one-group-three-sessions", id: "lab-trd-followup", title: "TRD follow-up, lab cohort A" },
  { from: "two-groups-one-session", id: "lab-hc-mdd", title: "HC and MDD, lab cohort B" },
];

beforeAll(() => {
  for (const f of ["observablehq.config.ts", "package.json", "tsconfig.json"]) cpSync(join(ROOT, f), join(kit, f));
  cpSync(join(ROOT, "docs"), join(kit, "docs"), { recursive: true });
  cpSync(join(ROOT, "src"), join(kit, "src"), { recursive: true, filter: (p) => !p.includes(".observablehq") });
  symlinkSync(join(ROOT, "node_modules"), join(kit, "node_modules"));
  mkdirSync(data);
  for (const s of LAB) {
    cpSync(join(ROOT, "test/fixtures/designs-v2", s.from), join(data, s.id), { recursive: true });
    const meta = JSON.parse(readFileSync(join(data, s.id, "study.json"), "utf8"));
    writeFileSync(
      join(data, s.id, "study.json"),
      JSON.stringify({ ...meta, id: s.id, title: s.title, description: "Data collected in the lab.", citation: "Unpublished.", synthetic: false }, null, 2),
    );
  }
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/@observablehq/framework/dist/bin/observable.js"), "build"], {
    cwd: kit,
    env: { ...process.env, BUK_DATA_DIR: data },
    encoding: "utf8",
    timeout: 300000,
  });
  if (r.status !== 0) throw new Error(`build from BUK_DATA_DIR failed:\n${r.stderr.slice(-3000)}`);
}, 320000);

const site = useBuiltSite(join(kit, "dist"));

const paths = ["/", ...LAB.flatMap((s) => STUDY_PAGES.map((p) => studyPagePath(s.id, p.page)))];

describe("a site of real data (synthetic: false)", () => {
  test.each(paths)("%s never says synthetic and loads cleanly", async (path) => {
    const context = await site.browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(site.base + path, { waitUntil: "networkidle" });
    await page.waitForSelector("#observablehq-main h1", { timeout: 20000 });
    await page.waitForTimeout(500);
    const main = (await page.textContent("#observablehq-main")) ?? "";
    const sidebar = (await page.textContent("#observablehq-sidebar")) ?? "";
    expect(main).not.toMatch(/synthetic/i);
    expect(sidebar).not.toMatch(/synthetic/i);
    expect(await page.locator(".synthetic-banner").count()).toBe(0);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    await context.close();
  });

  test("the site lists only the lab's studies, and the old addresses lead to them", async () => {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    await page.goto(site.base + "/", { waitUntil: "networkidle" });
    const ids = await page.$$eval("table[data-table=studies] tr[data-study]", (rows) => rows.map((r) => r.getAttribute("data-study")));
    expect(ids).toEqual(["lab-hc-mdd", "lab-trd-followup"]);
    await page.goto(site.base + "/updates?model=single");
    await page.waitForURL((u) => u.pathname === "/studies/lab-hc-mdd/updates" && u.search === "?model=single", { timeout: 10000 });
    await context.close();
  });
});
