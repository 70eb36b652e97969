/**
 * Figures through headless Chromium: every figure as PDF (vector, text selectable, the axis labels
 * in the extracted text), and the dashboard's Download SVG / PNG buttons exporting a chart as shown.
 * Skipped, with a message, when Debian's Chromium is missing; the text check needs pdftotext
 * (Debian's poppler-utils) and is skipped, with a message, without it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareFigures, writeFigures, type PreparedFigure } from "../../src/figures/export.js";
import { CHROMIUM, chromiumAvailable } from "../../src/figures/chromium.js";
import { pngInfo } from "../../src/figures/png.js";
import { FIGURE_NAMES } from "../../src/figures/registry.js";
import type { StudyDocument } from "../../src/lib/study/document.js";
import { bundled, KNOWN_LABELS, studyDocument } from "../fixtures/figures/helpers.js";

const HAVE_CHROMIUM = chromiumAvailable();
const HAVE_PDFTOTEXT = spawnSync("pdftotext", ["-v"]).status === 0;
if (!HAVE_CHROMIUM) console.warn(`test/figures/chromium.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
else if (!HAVE_PDFTOTEXT) console.warn("test/figures/chromium.test.ts: pdftotext missing (apt-get install -y poppler-utils): the PDF text check is skipped");

const tmp = mkdtempSync(join(tmpdir(), "figures-pdf-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

describe.skipIf(!HAVE_CHROMIUM)("PDF export", () => {
  let prepared: PreparedFigure[];
  beforeAll(async () => {
    const { study, params, analysis } = await bundled();
    prepared = prepareFigures({ study, params, analysis, names: FIGURE_NAMES, widthMm: 89, dpi: 300, theme: "light" }).figures;
    await writeFigures(prepared, { out: tmp, formats: ["pdf"], dpi: 300 });
  }, 60000);

  it.each(FIGURE_NAMES)("%s: one vector page of the figure's size with embedded fonts", (name) => {
    const pdf = readFileSync(join(tmp, `${name}.pdf`));
    const raw = pdf.toString("latin1");
    expect(raw.startsWith("%PDF-")).toBe(true);
    expect(raw.match(/\/Type\s*\/Page(?![s\w])/g)?.length).toBe(1);
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(raw)!;
    const side = prepared.find((f) => f.name === name)!.sidecar;
    expect(Number(box[1])).toBeCloseTo((89 * 72) / 25.4, -0.5); // within a point
    expect(Math.abs(Number(box[2]) - (side.format.height_mm * 72) / 25.4)).toBeLessThan(1);
    expect(raw).toMatch(/\/FontFile2/); // text is text (TrueType embedded), not outlines
    expect(raw).not.toMatch(/\/Subtype\s*\/Image/); // and nothing was rasterised
    expect(JSON.parse(readFileSync(join(tmp, `${name}.json`), "utf8")).files.pdf).toBe(`${name}.pdf`);
  });

  it.skipIf(!HAVE_PDFTOTEXT).each(FIGURE_NAMES)("%s: the PDF's text has the axis labels, the title and the synthetic note", (name) => {
    const text = norm(execFileSync("pdftotext", ["-raw", join(tmp, `${name}.pdf`), "-"], { encoding: "utf8" }));
    for (const label of KNOWN_LABELS[name]) expect(text).toContain(norm(label));
    const side = prepared.find((f) => f.name === name)!.sidecar;
    expect(text).toContain(side.title.split(" ").slice(0, 3).join(" "));
    expect(text).toContain("not patient data");
  });
});

describe.skipIf(!HAVE_CHROMIUM)("Download SVG / PNG buttons", () => {
  let browser: Browser;
  let script: string;
  let doc: StudyDocument;
  beforeAll(async () => {
    const entry = join(tmp, "entry.ts");
    const src = new URL("../../src/", import.meta.url).pathname;
    writeFileSync(
      entry,
      `import {prepareEmbedding} from ${JSON.stringify(join(src, "embed/core.ts"))};
       import {downloadButtons} from ${JSON.stringify(join(src, "browser/download.ts"))};
       import {applySelection} from ${JSON.stringify(join(src, "components/participants.ts"))};
       (window as any).kit = {prepareEmbedding, downloadButtons, applySelection};`,
    );
    const result = await build({ entryPoints: [entry], bundle: true, format: "iife", platform: "browser", write: false, logLevel: "error" });
    script = result.outputFiles[0].text;
    const { study } = await bundled();
    doc = studyDocument(study);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  }, 60000);
  afterAll(async () => browser?.close());

  it("export the chart as shown: the selection made after drawing, the page's dark colours, the legend", async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    await page.setContent(`<!doctype html><html><body style="background:#161616;color:#dfdfd6;margin:0"><div id="chart"></div></body></html>`);
    await page.addScriptTag({ content: script });
    await page.evaluate((doc) => {
      const kit = (window as any).kit;
      const e = kit.prepareEmbedding(doc, { params: "?med=pre,post1&sel=TRD03" });
      const chart = e.render("mediation-scatter", 600).element;
      document.getElementById("chart")!.append(chart);
      kit.applySelection(chart, ["TRD05", "TRD07"]); // the reader brushes other patients
      document.body.append(kit.downloadButtons(() => document.querySelector("#chart figure"), { name: "mediation-scatter", theme: "dark", dpi: 192 }));
    }, doc);
    const [svgDownload] = await Promise.all([page.waitForEvent("download"), page.click('button[data-download="svg"]')]);
    expect(svgDownload.suggestedFilename()).toBe("mediation-scatter.svg");
    const svg = readFileSync((await svgDownload.path())!, "utf8");
    const selected = [...svg.matchAll(/data-participant="([^"]+)"[^>]*data-selected="true"|data-selected="true"[^>]*data-participant="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    expect(selected.sort()).toEqual(["TRD05", "TRD07"]);
    expect(svg).toContain('fill="rgb(22, 22, 22)"'); // the page's background
    expect(svg).toContain('stroke="rgb(223, 223, 214)"'); // currentColor as the page draws it
    expect(svg).not.toMatch(/currentcolor/i);
    expect(svg).toContain("Δ learning-rate asymmetry (pre → post1)");
    expect(svg).toContain("not patient data");

    const [pngDownload] = await Promise.all([page.waitForEvent("download"), page.click('button[data-download="png"]')]);
    const png = new Uint8Array(readFileSync((await pngDownload.path())!));
    const width = Number(/viewBox="0 0 (\d+) (\d+)"/.exec(svg)![1]);
    const height = Number(/viewBox="0 0 (\d+) (\d+)"/.exec(svg)![2]);
    expect(pngInfo(png)).toEqual({ width: width * 2, height: height * 2, dpi: 192 });
    await page.close();
  }, 60000);

  it.each([
    ["light", "#ffffff", "#1b1e23", "#f3f3f1"],
    ["dark", "#161616", "#dfdfd6", "#202020"],
  ] as const)("the PNG of a chart in a grey card is on white with dark text, in %s mode; the SVG takes the page's background, not the card's", async (scheme, pageBg, pageFg, cardBg) => {
    const page = await browser.newPage({ acceptDownloads: true, colorScheme: scheme });
    await page.setContent(`<!doctype html><html><body style="background:${pageBg};color:${pageFg};margin:0"><div class="card" style="background:${cardBg};padding:16px"><div id="chart"></div></div></body></html>`);
    await page.addScriptTag({ content: script });
    await page.evaluate((doc) => {
      const kit = (window as any).kit;
      const chart = kit.prepareEmbedding(doc, { params: "" }).render("updates", 500).element;
      document.getElementById("chart")!.append(chart);
      document.body.append(kit.downloadButtons(() => document.querySelector("#chart figure"), { name: "updates" }));
    }, doc);
    const [pngDownload] = await Promise.all([page.waitForEvent("download"), page.click('button[data-download="png"]')]);
    const b64 = readFileSync((await pngDownload.path())!).toString("base64");
    const pixels = await page.evaluate(async (data) => {
      const img = new Image();
      img.src = `data:image/png;base64,${data}`;
      await img.decode();
      const c = document.createElement("canvas");
      [c.width, c.height] = [img.width, img.height];
      const ctx = c.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      const all = ctx.getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      for (let i = 0; i < all.length; i += 4) if (all[i] + all[i + 1] + all[i + 2] < 150 && all[i + 3] > 200) dark++;
      return { corner: [...ctx.getImageData(2, 2, 1, 1).data], mid: [...ctx.getImageData(c.width >> 1, 3, 1, 1).data], dark };
    }, b64);
    expect(pixels.corner).toEqual([255, 255, 255, 255]);
    expect(pixels.mid).toEqual([255, 255, 255, 255]);
    expect(pixels.dark).toBeGreaterThan(500); // dark text and axes on the white
    const [svgDownload] = await Promise.all([page.waitForEvent("download"), page.click('button[data-download="svg"]')]);
    const svg = readFileSync((await svgDownload.path())!, "utf8");
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;
    expect(svg).toContain(`<rect width="${/viewBox="0 0 (\d+)/.exec(svg)![1]}" height="${/viewBox="0 0 \d+ (\d+)/.exec(svg)![1]}" fill="${rgb(pageBg)}"`);
    expect(svg).not.toContain(rgb(cardBg));
    await page.close();
  }, 60000);
});
