/**
 * The embed pages' charts in Chromium, under Framework's global stylesheet (which caps figures
 * at 640 px) and the kit's: at desktop width every embed uses the width it is given and its axis
 * text is at least 11 px on screen; at 390 px no chart is wider than its container. Skipped, with
 * a message, when Debian's Chromium is missing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, chromiumAvailable } from "../../src/figures/chromium.js";
import { FIGURE_NAMES } from "../../src/figures/registry.js";
import type { StudyDocument } from "../../src/lib/study/document.js";
import { bundled, studyDocument } from "../fixtures/figures/helpers.js";

const HAVE_CHROMIUM = chromiumAvailable();
if (!HAVE_CHROMIUM) console.warn(`test/figures/embed-layout.test.ts skipped: no Chromium at ${CHROMIUM}`);

const tmp = mkdtempSync(join(tmpdir(), "embed-layout-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FRAMEWORK_CSS = new URL("../../node_modules/@observablehq/framework/dist/style/global.css", import.meta.url).pathname;
const KIT_CSS = new URL("../../src/style.css", import.meta.url).pathname;

describe.skipIf(!HAVE_CHROMIUM)("embed pages in Chromium", () => {
  let browser: Browser;
  let script: string;
  let doc: StudyDocument;
  let css: string;
  beforeAll(async () => {
    const src = new URL("../../src/", import.meta.url).pathname;
    const entry = join(tmp, "entry.ts");
    writeFileSync(entry, `import {embedPage} from ${JSON.stringify(join(src, "embed/page.ts"))}; (window as any).kit = {embedPage};`);
    script = (await build({ entryPoints: [entry], bundle: true, format: "iife", platform: "browser", write: false, logLevel: "error" })).outputFiles[0].text;
    doc = studyDocument((await bundled()).study);
    // The kit's stylesheet without its imports of Framework's themes (observablehq: URLs).
    css = readFileSync(FRAMEWORK_CSS, "utf8") + readFileSync(KIT_CSS, "utf8").replace(/^@import[^\n]*\n/gm, "");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  }, 60000);
  afterAll(async () => browser?.close());

  async function layout(name: string, viewport: number) {
    const page = await browser.newPage({ viewport: { width: viewport, height: 900 } });
    // As src/embed/<name>.md: the main element with 0.5rem padding, the chart at its width.
    await page.setContent(`<!doctype html><html><head><style>${css} #main { margin: 0; padding: 0.5rem; }</style></head><body style="margin:0"><main id="main"></main></body></html>`);
    await page.addScriptTag({ content: script });
    return page.evaluate(
      ({ doc, name }) => {
        const main = document.getElementById("main")!;
        const width = main.clientWidth - 16;
        main.append((window as any).kit.embedPage(doc, name, "").render(width));
        const svgs = [...main.querySelectorAll("svg")].filter((s) => !s.parentElement!.closest("svg") && !s.closest('[class$="-swatch"]'));
        return {
          width,
          svgs: svgs.map((s) => {
            const r = s.getBoundingClientRect();
            const container = (s.closest("figure") ?? main).parentElement!.getBoundingClientRect();
            const vb = s.viewBox.baseVal && s.viewBox.baseVal.width ? s.viewBox.baseVal.width : r.width;
            const k = r.width / vb;
            const axis = [...s.querySelectorAll('g[aria-label$="tick label"] text, g[aria-label$="axis label"] text, g[data-node] text')];
            const sizes = axis.map((t) => parseFloat(getComputedStyle(t).fontSize) * k);
            return { rendered: r.width, right: r.right, container: container.right, minAxisPx: sizes.length ? Math.min(...sizes) : null };
          }),
          pageWidth: document.documentElement.scrollWidth,
        };
      },
      { doc, name },
    ).finally(() => page.close());
  }

  it.each(FIGURE_NAMES)("%s at 1280 px: drawn at the available width, axis text at least 11 px", async (name) => {
    const r = await layout(name, 1280);
    expect(r.svgs.length).toBeGreaterThan(0);
    const widest = Math.max(...r.svgs.map((s) => s.rendered));
    // One chart, or panels side by side (the mediation figure): together they use the width.
    expect(name === "mediation" ? r.svgs.reduce((w, s) => w + s.rendered, 0) : widest).toBeGreaterThan(0.9 * r.width);
    for (const s of r.svgs) if (s.minAxisPx !== null) expect(s.minAxisPx).toBeGreaterThanOrEqual(11);
  });

  it.each(FIGURE_NAMES)("%s at 390 px: no chart wider than its container or the page", async (name) => {
    const r = await layout(name, 390);
    expect(r.pageWidth).toBeLessThanOrEqual(390);
    for (const s of r.svgs) expect(s.right).toBeLessThanOrEqual(s.container + 0.5);
  });
});
