/**
 * Phone width in Chromium (390 px viewport, the page's 16 px side padding, Framework's global
 * stylesheet and the kit's): every chart drawn at its container's width is no wider than the
 * container, and the components' tables scroll inside it instead of widening the page. Skipped,
 * with a message, when Debian's Chromium is missing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, chromiumAvailable } from "../../src/figures/chromium.js";

const HAVE_CHROMIUM = chromiumAvailable();
if (!HAVE_CHROMIUM) console.warn(`test/components/narrow.chromium.test.ts skipped: no Chromium at ${CHROMIUM}`);

const tmp = mkdtempSync(join(tmpdir(), "narrow-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CSS = [new URL("../../node_modules/@observablehq/framework/dist/style/global.css", import.meta.url), new URL("../../src/style.css", import.meta.url)]
  .map((u) => readFileSync(u.pathname, "utf8").replace(/^@import[^\n]*\n/gm, ""))
  .join("\n");

describe.skipIf(!HAVE_CHROMIUM)("components at 390 px", () => {
  let browser: Browser;
  let script: string;
  beforeAll(async () => {
    const src = new URL("../../src/components/", import.meta.url).pathname;
    const names = ["coef-table", "model-comparison", "mediation-scatter", "path-diagram", "clinical-trajectory", "lr-slopes", "participant-trials", "updates-chart", "sensitivity-curve", "bootstrap-histogram", "response-bars", "design-trajectories"];
    const entry = join(tmp, "entry.ts");
    writeFileSync(entry, names.map((n, i) => `import * as m${i} from ${JSON.stringify(join(src, `${n}.ts`))};`).join("\n") + `\n(window as any).kit = Object.assign({}, ${names.map((_, i) => `m${i}`).join(", ")});`);
    script = (await build({ entryPoints: [entry], bundle: true, format: "iife", platform: "browser", write: false, logLevel: "error" })).outputFiles[0].text;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  }, 60000);
  afterAll(async () => browser?.close());

  it("no chart wider than its container; the components' tables scroll inside it; the page does not widen", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.setContent(`<!doctype html><html><head><style>${CSS}</style></head><body style="margin:0"><main id="main" style="padding: 0 16px"></main></body></html>`);
    await page.addScriptTag({ content: script + ";window.__name = (f) => f;" });
    const result = await page.evaluate(() => {
      const k = (window as any).kit;
      const main = document.getElementById("main")!;
      const width = main.clientWidth - 32;
      const coef = (term: string, i: number) => ({ term, estimate: -1.2345 * i, se: 0.4567, df: 123.4, t: -2.7, p: 0.0071, ci: [-2.1234, -0.3456] });
      const terms = ["(Intercept)", "groupTRD", "sessionpost1", "valencegood", "groupTRD:sessionpost1:valencegood"];
      const points = Array.from({ length: 26 }, (_, i) => ({ participant_id: `TRD${i}`, dM: Math.sin(i) * 0.7, dY: -12 + 7 * Math.cos(i) }));
      const sessions = ["pre", "post1", "post3"];
      const rows = points.flatMap((p, i) => sessions.map((session, j) => ({ participant_id: p.participant_id, group: "TRD", session, score: 30 - 6 * j + (i % 5) })));
      const fits = rows.map((r) => ({ participant_id: r.participant_id, group: "TRD", session: r.session, alpha_good: 0.5, alpha_bad: 0.3 }));
      const trials = sessions.flatMap((session) => Array.from({ length: 20 }, (_, i) => ({ session, event_id: `e${i}`, e1: 30 + i, br: 20 + 2 * i, e2: 26 + i, valence: i % 2 ? "good" : "bad" })));
      const charts: [string, Element][] = [
        ["coef-table", k.coefTable(terms.map(coef), { published: { groupTRD: { estimate: -2.1, t: -2.4, df: 110, p: 0.02 } }, caption: "Fixed effects." })],
        ["best-model-table", k.bestModelTable([{ model: "scaling-asymmetry", group: "HC", n_best: 3 }, { model: "valence", group: "TRD", n_best: 4 }], {})],
        ["mediation-scatter", k.mediationScatter(points, [], { width, height: width * 0.75, xLabel: "Δ learning-rate asymmetry (pre → post1)", yLabel: "Δ MADRS (pre → post3, points)" })],
        ["path-diagram", k.pathDiagram({ a: 0.178, b: -6.049, c: -13.192, c_prime: -12.117, indirect: -1.075, ci: [-2.394, -0.059], ciLabel: "95% BCa bootstrap CI (5000 resamples)", p: { a: 0.005, b: 0.015, c: 0.0001, c_prime: 0.0001 }, labels: { x: "Session (pre → post1)", m: "Δ learning-rate asymmetry", y: "Δ MADRS" } }, { width })],
        ["clinical-trajectory", k.clinicalTrajectory(rows, { width, sessions, scale: { name: "MADRS", min: 0, max: 60 }, groups: ["HC", "TRD"], highlight: "TRD3" })],
        ["lr-slopes", k.lrSlopeChart(fits, { width, sessions, groups: ["HC", "TRD"] })],
        ["participant-trials", k.participantTrials(trials, sessions.map((session) => ({ session, alpha_good: 0.4, alpha_bad: 0.2 })), { width, sessions, participant: "TRD01" })],
        ["updates-chart", k.updatesChart(["HC", "TRD"].flatMap((group) => sessions.flatMap((session) => ["good", "bad"].map((valence) => ({ group, session, valence, mean: 5, sem: 0.5, n: 20 })))), { width, groups: ["HC", "TRD"], sessions })],
        ["model-comparison", k.modelComparisonChart(["single", "valence", "scaling-asymmetry", "ee-weighted"].flatMap((model, i) => ["HC", "TRD"].map((group) => ({ model, group, bic: 1000 + 60 * i }))), { width })],
        ["sensitivity-curve", k.sensitivityCurve([{ rho: -1, indirect: 2 }, { rho: 1, indirect: -3 }], { width, rho_zero: -0.48, estimate: -1.07 })],
        ["bootstrap-histogram", k.bootstrapHistogram(Array.from({ length: 500 }, (_, i) => Math.sin(i)), { width, estimate: 0, percentile: [-0.9, 0.9], bca: [-0.95, 0.85] })],
        ["response-bars", k.responseBars([{ condition: "placebo", responders: 7, n: 12, rate: 7 / 12, ci: [0.277, 0.848] }, { condition: "naltrexone", responders: 1, n: 12, rate: 1 / 12, ci: [0.002, 0.385] }], { width, conditions: ["placebo", "naltrexone"], definition: "≥ 50%" })],
        ["design-trajectories", k.designTrajectories(rows.map((r) => ({ ...r, condition: r.participant_id.endsWith("1") ? "placebo" : "ketamine" })), { width, sessions, conditions: ["placebo", "ketamine"], scale: { name: "HAM-D-17", min: 0, max: 52 } })],
      ];
      const out: Record<string, { right: number; containerRight: number; scrolls?: boolean }> = {};
      for (const [name, el] of charts) {
        const box = document.createElement("div");
        box.append(el);
        main.append(box);
      }
      for (const [name, el] of charts) {
        const container = el.parentElement!.getBoundingClientRect();
        let right = el.getBoundingClientRect().right;
        for (const svg of el.querySelectorAll("svg")) if (!svg.parentElement!.closest("svg")) right = Math.max(right, svg.getBoundingClientRect().right);
        out[name] = { right, containerRight: container.right, ...(el.tagName === "TABLE" ? { scrolls: el.scrollWidth > el.clientWidth } : {}) };
      }
      return { out, pageWidth: document.documentElement.scrollWidth };
    });
    expect(result.pageWidth).toBeLessThanOrEqual(390);
    for (const [name, r] of Object.entries(result.out)) expect({ name, over: Math.max(0, Math.round(r.right - r.containerRight)) }).toEqual({ name, over: 0 });
    expect(result.out["coef-table"].scrolls).toBe(true); // wider than the phone: it scrolls, the page does not
    await page.close();
  }, 60000);
});
