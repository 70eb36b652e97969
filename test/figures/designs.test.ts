/**
 * The figures of the clinical-trial designs (src/figures/design-registry.ts) on the two bundled
 * trial studies: names, captions and sidecar numbers (the analysis's), the SVG (parses, labels, no
 * currentColor), the PNG (exact size, dpi, ink, text) and the PDF through Chromium (skipped, with a
 * message, without Chromium; the text check without pdftotext), as for the belief-updating figures.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDesignFigures, designFigureByName, designFigureContext, designFigures, type DesignFigureContext } from "../../src/figures/design-registry.js";
import { prepareDesignFigures, prepareFigures, writeFigures, type DesignFigureSidecar, type PreparedFigure } from "../../src/figures/export.js";
import { designFigureList, scaleSlug } from "../../src/figures/names.js";
import { CHROMIUM, chromiumAvailable } from "../../src/figures/chromium.js";
import { initPng, mmToPx, pngHeight, pngInfo, rasterize, svgToPng } from "../../src/figures/png.js";
import { FIGURE_NAMES, FigureUnavailableError, SYNTHETIC_NOTE } from "../../src/figures/registry.js";
import { EXPORT_FONT_FAMILY, EXPORT_THEMES, exportFigureSvg } from "../../src/figures/svg-export.js";
import { axisLabels, bundled, bundledDesign, DESIGN_KNOWN_LABELS, DESIGN_STUDIES, differing, ink, newDocument, svgTexts, type DesignStudyId } from "../fixtures/figures/helpers.js";

const HAVE_CHROMIUM = chromiumAvailable();
const HAVE_PDFTOTEXT = spawnSync("pdftotext", ["-v"]).status === 0;
if (!HAVE_CHROMIUM) console.warn(`test/figures/designs.test.ts: PDF export skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
else if (!HAVE_PDFTOTEXT) console.warn("test/figures/designs.test.ts: pdftotext missing (apt-get install -y poppler-utils): the PDF text check is skipped");

const single = new Map<DesignStudyId, DesignFigureContext>();
const double = new Map<DesignStudyId, DesignFigureContext>();
beforeAll(async () => {
  await initPng();
  for (const id of DESIGN_STUDIES) {
    const { study, analysis } = await bundledDesign(id);
    single.set(id, designFigureContext(study, { document: newDocument(), width: mmToPx(89, 96), analysis }));
    double.set(id, designFigureContext(study, { document: newDocument(), width: mmToPx(183, 96), analysis }));
  }
});

/** Every (study, figure) pair. */
const CASES: [DesignStudyId, string][] = DESIGN_STUDIES.flatMap((id) => Object.keys(DESIGN_KNOWN_LABELS[id]).map((name): [DesignStudyId, string] => [id, name]));

function build(id: DesignStudyId, name: string, ctx = single.get(id)!) {
  const spec = designFigureByName(ctx.study.meta, name);
  if (!spec) throw new Error(`no figure ${name} for ${id}`);
  return spec.build(ctx);
}

function parse(svg: string): Document {
  return new new JSDOM("").window.DOMParser().parseFromString(svg, "image/svg+xml");
}

type Effect = { scale: string; session: string; treatment: { term: string; estimate: number; ci: [number, number]; p: number }; period: { term: string } | null };

describe("the design figure registry", () => {
  it("names the figures from study.json: trajectories (all scales), response, one trajectories-<scale> per scale", async () => {
    const w = (await bundledDesign("williams2018-naltrexone")).study.meta;
    const m = (await bundledDesign("murrough2013-midazolam")).study.meta;
    expect(designFigures(w).map((f) => f.name)).toEqual(["trajectories", "response", "trajectories-hamd-17", "trajectories-hamd-6"]);
    expect(designFigures(m).map((f) => f.name)).toEqual(["trajectories", "response", "trajectories-madrs"]);
    expect(defaultDesignFigures(w)).toEqual(["trajectories", "response"]);
    expect(defaultDesignFigures(m)).toEqual(["trajectories", "response"]);
    for (const meta of [w, m]) expect(designFigureList(meta).map((f) => [f.name, f.title])).toEqual(designFigures(meta).map((f) => [f.name, f.title]));
    // No name is shared with the belief-updating figures, so a name says which kind of study it is for.
    for (const meta of [w, m]) for (const f of designFigures(meta)) expect(FIGURE_NAMES).not.toContain(f.name);
    expect(Object.keys(DESIGN_KNOWN_LABELS["williams2018-naltrexone"]).sort()).toEqual(designFigures(w).map((f) => f.name).sort());
    expect(Object.keys(DESIGN_KNOWN_LABELS["murrough2013-midazolam"]).sort()).toEqual(designFigures(m).map((f) => f.name).sort());
  });

  it("turns scale names into figure names", () => {
    expect(["HAM-D-17", "HAM-D-6", "MADRS", "YMRS (total)", "QIDS-SR 16", "Échelle"].map(scaleSlug)).toEqual(["hamd-17", "hamd-6", "madrs", "ymrs-total", "qidssr-16", "echelle"]);
    const meta = { design: "parallel", sessions: ["b", "p"], clinical_scale: { name: "Δ" }, secondary_scales: [{ name: "A-1" }, { name: "A 1" }] };
    // A name without letters or digits gets its position; a repeated name gets its position appended.
    expect(designFigureList(meta).map((f) => f.name)).toEqual(["trajectories", "response", "trajectories-scale-1", "trajectories-a-1", "trajectories-a-1-3"]);
  });

  it("has no figures for a belief-updating study", async () => {
    const { study } = await bundled();
    expect(() => designFigureContext(study, { document: newDocument(), width: 336 })).toThrow(FigureUnavailableError);
    expect(() => designFigureList(study.meta)).toThrow(/belief-updating/);
    // And the belief-updating figures refuse a trial study.
    const trial = (await bundledDesign("williams2018-naltrexone")).study;
    const { params } = await bundled();
    expect(() => prepareFigures({ study: trial, params, names: ["updates"], widthMm: 89, dpi: 300, theme: "light" })).toThrow(/crossover study: its figures are drawn by prepareDesignFigures/);
  });

  it.each(CASES)("%s %s: the caption says the cohort is synthetic (once), and the numbers are JSON", (id, name) => {
    const built = build(id, name);
    expect(built.caption.endsWith(SYNTHETIC_NOTE)).toBe(true);
    expect(built.caption.split(SYNTHETIC_NOTE).length).toBe(2);
    const json = JSON.parse(JSON.stringify(built.numbers));
    expect(json.design).toBe(id.startsWith("williams") ? "crossover" : "parallel");
    expect(Object.keys(json).length).toBeGreaterThan(3);
  });

  it("says nothing about synthetic data for a study that is not synthetic", async () => {
    const { study, analysis } = await bundledDesign("murrough2013-midazolam");
    const real = { ...study, meta: { ...study.meta, synthetic: false } };
    const ctx = designFigureContext(real, { document: newDocument(), width: 336, analysis });
    for (const f of designFigures(real.meta)) expect(f.build(ctx).caption).not.toMatch(/synthetic/i);
  });

  it("trajectories: the sidecar has the summaries the chart shows (means per time point) and the treatment effect per scale × time point", async () => {
    const { study, analysis } = await bundledDesign("williams2018-naltrexone");
    const n = build("williams2018-naltrexone", "trajectories").numbers as { conditions: string[]; sessions: string[]; scales: { scale: { name: string }; summary: unknown[]; effects: Effect[]; carryover: unknown[] }[] };
    expect(n.conditions).toEqual(["placebo", "naltrexone"]);
    expect(n.sessions).toEqual(study.meta.sessions);
    expect(n.scales.map((s) => s.scale.name)).toEqual(["HAM-D-17", "HAM-D-6"]);
    for (const s of n.scales) {
      expect(s.summary).toEqual(analysis.summary.filter((r) => r.scale === s.scale.name));
      expect(s.effects.map((e) => e.session)).toEqual(["day1", "day3"]);
      expect(s.carryover).toHaveLength(2);
      for (const e of s.effects) {
        const model = analysis.models.find((m) => m.scale === e.scale && m.session === e.session)!;
        const key = model.fixed.find((f) => f.term === "conditionnaltrexone")!;
        expect(e.treatment).toMatchObject({ term: "conditionnaltrexone", estimate: key.estimate, ci: key.ci, p: key.p });
        expect(e.period?.term).toBe("period2");
      }
    }
    // The means drawn as bold lines are the summary's mean scores.
    const rows = analysis.per_participant.filter((r) => r.scale === "HAM-D-17" && r.condition === "placebo" && r.session === "day1" && r.score !== null);
    const drawn = rows.reduce((s, r) => s + r.score!, 0) / rows.length;
    expect(analysis.summary.find((r) => r.scale === "HAM-D-17" && r.condition === "placebo" && r.session === "day1")!.mean_score).toBeCloseTo(drawn, 12);
    // The README's figures: naltrexone − placebo +8.9 points on day 1 (t(10) = 6.14).
    const day1 = n.scales[0].effects[0];
    expect(day1.treatment.estimate).toBeCloseTo(8.92, 2);
    expect(day1.treatment.p).toBeLessThan(0.001);
    // One scale alone: the same numbers as in the stacked figure.
    const hamd6 = build("williams2018-naltrexone", "trajectories-hamd-6").numbers as { scale: { name: string; min: number; max: number }; summary: unknown; effects: unknown };
    expect(hamd6.scale).toEqual({ name: "HAM-D-6", min: 0, max: 22 });
    expect(hamd6.summary).toEqual(n.scales[1].summary);
    expect(hamd6.effects).toEqual(n.scales[1].effects);
  });

  it("response (crossover): placebo 7/12 and naltrexone 1/12 with Clopper-Pearson intervals, and the exact McNemar test", async () => {
    const { analysis } = await bundledDesign("williams2018-naltrexone");
    const n = build("williams2018-naltrexone", "response").numbers as {
      definition: { scale: string; session: string; threshold: number };
      rows: { condition: string; responders: number; n: number; rate: number; ci: [number, number] }[];
      test: { test: string; b: number; c: number; p: number };
      effect: Effect;
    };
    expect(n.definition).toMatchObject({ scale: "HAM-D-17", session: "day1", threshold: 0.5 });
    expect(n.rows.map((r) => [r.condition, `${r.responders}/${r.n}`])).toEqual([
      ["placebo", "7/12"],
      ["naltrexone", "1/12"],
    ]);
    expect(n.rows[0].rate).toBeCloseTo(7 / 12, 12);
    expect(n.rows[0].ci).toEqual(analysis.response[0].ci);
    expect(n.test.test).toMatch(/McNemar/);
    expect(n.test).toMatchObject({ b: 6, c: 0 });
    expect(n.test.p).toBeCloseTo(0.03125, 10);
    expect(n.effect).toMatchObject({ scale: "HAM-D-17", session: "day1", treatment: { term: "conditionnaltrexone" } });
  });

  it("response (parallel): ketamine 27/47 vs midazolam 6/25, Fisher's exact test, and the ANCOVA difference", async () => {
    const { analysis } = await bundledDesign("murrough2013-midazolam");
    const n = build("murrough2013-midazolam", "response").numbers as {
      rows: { condition: string; responders: number; n: number }[];
      test: { test: string; p: number; conditional_or: { estimate: number } };
      effect: Effect & { adjusted_means: { arm: string }[] };
    };
    expect(n.rows.map((r) => [r.condition, `${r.responders}/${r.n}`])).toEqual([
      ["midazolam", "6/25"],
      ["ketamine", "27/47"],
    ]);
    expect(n.test.test).toMatch(/Fisher/);
    expect(n.test.p).toBe(analysis.fisher!.p);
    expect(n.test.p).toBeCloseTo(0.012, 3);
    expect(n.test.conditional_or.estimate).toBeCloseTo(4.19, 2);
    expect(n.effect.treatment.term).toBe("armketamine");
    expect(n.effect.treatment.estimate).toBeCloseTo(-7.66, 2);
    expect(n.effect.treatment.ci[0]).toBeCloseTo(-11.92, 2);
    expect(n.effect.period).toBeNull();
    expect(n.effect.adjusted_means.map((a) => a.arm)).toEqual(["midazolam", "ketamine"]);
  });
});

describe("design figures as SVG", () => {
  it.each(CASES)("%s %s: a standalone SVG that parses, with its axis labels, legend and caption, and no currentColor", (id, name) => {
    const built = build(id, name);
    const before = built.element.outerHTML;
    const exported = exportFigureSvg(built.element, { theme: "light", width: 336, widthMm: 89 });
    expect(built.element.outerHTML).toBe(before);
    const doc = parse(exported.svg);
    expect(doc.querySelector("parsererror")).toBeNull();
    const root = doc.documentElement;
    expect(root.tagName).toBe("svg");
    expect(root.getAttribute("viewBox")).toBe(`0 0 336 ${exported.height}`);
    expect(root.getAttribute("width")).toBe("89mm");
    expect(root.getAttribute("font-family")).toBe(EXPORT_FONT_FAMILY);
    expect(exported.svg).not.toMatch(/currentcolor/i);
    expect(exported.svg).not.toMatch(/data-orig-|<style|system-ui/);
    expect(root.querySelector(":scope > rect")?.getAttribute("fill")).toBe(EXPORT_THEMES.light.background);
    const texts = svgTexts(exported.svg);
    const all = texts.join("\n");
    const labels = axisLabels(built.element);
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(texts).toContain(label);
    for (const label of DESIGN_KNOWN_LABELS[id][name]) expect(all).toContain(label);
    expect(all).toContain(exported.title.split(" ")[0]);
    expect(all.replace(/\s+/g, " ")).toContain(SYNTHETIC_NOTE);
    expect(exported.caption).toBe(built.caption);
  });

  it("stacks the scales of the crossover study as panels A and B, each with its own axis label", () => {
    const built = build("williams2018-naltrexone", "trajectories");
    const texts = svgTexts(exportFigureSvg(built.element, { width: 336 }).svg);
    expect(texts).toContain("A. HAM-D-17 across time points, by condition");
    expect(texts).toContain("B. HAM-D-6 across time points, by condition");
    expect(built.caption).toMatch(/^A: .*HAM-D-17.* B: .*HAM-D-6/);
  });

  it("uses the dark theme's colours", () => {
    const exported = exportFigureSvg(build("murrough2013-midazolam", "response").element, { theme: "dark", width: 336 });
    expect(parse(exported.svg).querySelector(":scope > rect")?.getAttribute("fill")).toBe(EXPORT_THEMES.dark.background);
    expect(exported.svg).toContain(EXPORT_THEMES.dark.foreground);
    expect(exported.svg).not.toContain(EXPORT_THEMES.light.foreground);
  });
});

describe("design figures as PNG", () => {
  for (const [label, mm, dpi] of [
    ["single column, 300 dpi", 89, 300],
    ["double column, 150 dpi", 183, 150],
  ] as const) {
    it.each(CASES)(`%s %s, ${label}: exact size, dpi tag, not blank, with text`, async (id, name) => {
      const ctx = (mm === 89 ? single : double).get(id)!;
      const built = build(id, name, ctx);
      const exported = exportFigureSvg(built.element, { width: ctx.width, widthMm: mm });
      const widthPx = mmToPx(mm, dpi);
      const { png, width } = await svgToPng(exported.svg, { widthPx, dpi });
      const info = pngInfo(png);
      expect(info.width).toBe(widthPx);
      expect(width).toBe(widthPx);
      expect(info.height).toBe(pngHeight(exported.width, exported.height, widthPx));
      expect(Math.abs(info.height - (exported.height_mm! / 25.4) * dpi)).toBeLessThanOrEqual(0.5 + (0.5 * info.height) / widthPx + 0.01);
      expect(info.dpi).toBe(dpi);
      if (dpi !== 300) return;
      const withText = rasterize(exported.svg, { widthPx });
      const { share, colours } = ink(withText.pixels);
      expect(share).toBeGreaterThan(0.02);
      expect(colours).toBeGreaterThan(20);
      const noText = rasterize(exported.svg, { widthPx, fonts: false });
      expect(differing(withText.pixels, noText.pixels)).toBeGreaterThan(0.01);
    });
  }
});

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

describe.skipIf(!HAVE_CHROMIUM)("design figures as PDF", () => {
  const tmp = mkdtempSync(join(tmpdir(), "design-figures-pdf-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const prepared = new Map<DesignStudyId, PreparedFigure<DesignFigureSidecar>[]>();
  beforeAll(async () => {
    const all: PreparedFigure<DesignFigureSidecar>[] = [];
    for (const id of DESIGN_STUDIES) {
      const { study, analysis } = await bundledDesign(id);
      const figures = prepareDesignFigures({ study, analysis, names: designFigures(study.meta).map((f) => f.name), widthMm: 89, dpi: 300, theme: "light" }).figures;
      // One folder per study: both have a "trajectories" and a "response".
      for (const f of figures) all.push({ ...f, name: `${id}--${f.name}` });
      prepared.set(id, figures);
    }
    await writeFigures(all, { out: tmp, formats: ["pdf"], dpi: 300 });
  }, 60000);

  it.each(CASES)("%s %s: one vector page of the figure's size with embedded fonts", (id, name) => {
    const raw = readFileSync(join(tmp, `${id}--${name}.pdf`)).toString("latin1");
    expect(raw.startsWith("%PDF-")).toBe(true);
    expect(raw.match(/\/Type\s*\/Page(?![s\w])/g)?.length).toBe(1);
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(raw)!;
    const side = prepared.get(id)!.find((f) => f.name === name)!.sidecar;
    expect(Number(box[1])).toBeCloseTo((89 * 72) / 25.4, -0.5);
    expect(Math.abs(Number(box[2]) - (side.format.height_mm * 72) / 25.4)).toBeLessThan(1);
    expect(raw).toMatch(/\/FontFile2/);
    expect(raw).not.toMatch(/\/Subtype\s*\/Image/);
  });

  it.skipIf(!HAVE_PDFTOTEXT).each(CASES)("%s %s: the PDF's text has the axis labels, the title and the synthetic note", (id, name) => {
    const text = norm(execFileSync("pdftotext", ["-raw", join(tmp, `${id}--${name}.pdf`), "-"], { encoding: "utf8" }));
    for (const label of DESIGN_KNOWN_LABELS[id][name]) expect(text).toContain(norm(label));
    const side = prepared.get(id)!.find((f) => f.name === name)!.sidecar;
    expect(text).toContain(side.title.split(" ").slice(0, 3).join(" "));
    expect(text).toContain("not patient data");
  });
});
