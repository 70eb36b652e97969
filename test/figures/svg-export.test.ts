import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { EXPORT_FONT_FAMILY, EXPORT_THEMES, exportFigureSvg, figureToSvg } from "../../src/figures/svg-export.js";
import { DEFAULT_FIGURES, FIGURES, FigureUnavailableError, SYNTHETIC_NOTE, composeFigure, figureContext, type FigureContext } from "../../src/figures/registry.js";
import { measureDejaVu, wrapText } from "../../src/components/text-metrics.js";
import { mmToPx } from "../../src/figures/png.js";
import { axisLabels, bundled, KNOWN_LABELS, newDocument, svgTexts } from "../fixtures/figures/helpers.js";

let ctx: FigureContext;
beforeAll(async () => {
  const { study, params, analysis } = await bundled();
  ctx = figureContext(study, params, { document: newDocument(), width: mmToPx(89, 96), analysis, media: "print" });
});

function parse(svg: string): Document {
  return new new JSDOM("").window.DOMParser().parseFromString(svg, "image/svg+xml");
}

describe("the figure registry", () => {
  it("has the figures the issue names, and more", () => {
    for (const name of ["updates", "learning-rates", "mediation", "bootstrap", "participant"]) expect(DEFAULT_FIGURES).toContain(name);
    expect(new Set(FIGURES.map((f) => f.name)).size).toBe(FIGURES.length);
  });

  it.each(FIGURES.map((f) => f.name))("%s: the caption says the cohort is synthetic, and the numbers are JSON", (name) => {
    const built = FIGURES.find((f) => f.name === name)!.build(ctx);
    expect(built.caption).toMatch(/synthetic/i);
    expect(built.caption.endsWith(SYNTHETIC_NOTE)).toBe(true);
    expect(built.caption.split(SYNTHETIC_NOTE).length).toBe(2); // said once, also in composed figures
    expect(() => JSON.stringify(built.numbers)).not.toThrow();
    expect(Object.keys(built.numbers).length).toBeGreaterThan(0);
  });

  it("reports a figure that the parameters cannot draw", async () => {
    const { study, params } = await bundled();
    const noBoot = figureContext(study, { ...params, boot: 0 }, { document: newDocument(), width: 336 });
    expect(() => FIGURES.find((f) => f.name === "bootstrap")!.build(noBoot)).toThrow(FigureUnavailableError);
    expect(() => FIGURES.find((f) => f.name === "participant")!.build({ ...ctx, participant: "NOPE" })).toThrow(/not in the study/);
  });

  it("shows the participant asked for, else the first selected, else the first treatment participant", () => {
    const panel = FIGURES.find((f) => f.name === "participant")!;
    expect(panel.build(ctx).numbers.participant_id).toBe("TRD01");
    expect(panel.build({ ...ctx, params: { ...ctx.params, sel: ["TRD07"] } }).numbers.participant_id).toBe("TRD07");
    expect(panel.build({ ...ctx, participant: "HC02" }).numbers.participant_id).toBe("HC02");
  });
});

describe("figureToSvg", () => {
  it.each(FIGURES.map((f) => f.name))("%s: a standalone SVG that parses, with its axis labels, legend and caption, and no currentColor", (name) => {
    const built = FIGURES.find((f) => f.name === name)!.build(ctx);
    const before = built.element.outerHTML;
    const exported = exportFigureSvg(built.element, { theme: "light", width: 336, widthMm: 89 });
    expect(built.element.outerHTML).toBe(before); // the chart on the page is left alone
    const doc = parse(exported.svg);
    expect(doc.querySelector("parsererror")).toBeNull();
    const root = doc.documentElement;
    expect(root.tagName).toBe("svg");
    expect(root.getAttribute("xmlns")).toBe("http://www.w3.org/2000/svg");
    expect(root.getAttribute("viewBox")).toBe(`0 0 336 ${exported.height}`);
    expect(root.getAttribute("width")).toBe("89mm");
    expect(Number(root.getAttribute("height")!.replace("mm", ""))).toBeCloseTo((exported.height * 89) / 336, 2);
    expect(root.getAttribute("font-family")).toBe(EXPORT_FONT_FAMILY);
    expect(exported.svg).not.toMatch(/currentcolor/i);
    expect(exported.svg).not.toMatch(/data-orig-/);
    expect(exported.svg).not.toMatch(/<style/);
    expect(exported.svg).not.toMatch(/system-ui/);
    expect(root.querySelector(":scope > rect")?.getAttribute("fill")).toBe(EXPORT_THEMES.light.background);

    const texts = svgTexts(exported.svg);
    const all = texts.join("\n");
    const labels = axisLabels(built.element);
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(texts).toContain(label);
    for (const label of KNOWN_LABELS[name]) expect(all).toContain(label);
    // The title and the caption (wrapped, so compare words) are in the SVG.
    expect(all).toContain(exported.title.split(" ")[0]);
    const words = all.replace(/\s+/g, " ");
    expect(words).toContain("Synthetic cohort: simulated data, not patient data.");
    expect(exported.caption).toBe(built.caption);
  });

  it("draws Plot's HTML legend as SVG swatches with labels", () => {
    const built = FIGURES.find((f) => f.name === "lr-means")!.build(ctx);
    const doc = parse(figureToSvg(built.element));
    const legends = [...doc.querySelectorAll('g[aria-label="legend"]')];
    expect(legends.length).toBe(2); // symbol and colour
    expect(legends.flatMap((g) => [...g.querySelectorAll("text")].map((t) => t.textContent))).toEqual(["This study", "Published", "Good news", "Bad news"]);
    expect(legends.flatMap((g) => [...g.querySelectorAll("svg")]).length).toBe(4);
    expect(legends[1].querySelector("svg")!.getAttribute("fill")).toBe("#0072B2");
    expect(legends[0].querySelector("svg")!.getAttribute("width")).toBe("15");
  });

  it("uses the dark theme's colours for the background, text and former currentColor", () => {
    const built = FIGURES.find((f) => f.name === "bootstrap")!.build(ctx);
    const svg = figureToSvg(built.element, { theme: "dark" });
    const doc = parse(svg);
    expect(doc.documentElement.getAttribute("fill")).toBe(EXPORT_THEMES.dark.foreground);
    expect(doc.querySelector(":scope > rect")?.getAttribute("fill")).toBe(EXPORT_THEMES.dark.background);
    expect(svg).toContain(`stroke="${EXPORT_THEMES.dark.foreground}"`); // axes and the estimate rule were currentColor
    expect(svg).not.toContain(EXPORT_THEMES.light.foreground);
  });

  it("keeps the selection shown on the chart (outlined, others faded), without its undo state", async () => {
    const { study, params, analysis } = await bundled();
    const sel = figureContext(study, { ...params, sel: ["TRD03", "TRD05"] }, { document: newDocument(), width: 692, analysis, media: "print" });
    const built = FIGURES.find((f) => f.name === "mediation-scatter")!.build(sel);
    expect(built.element.querySelectorAll("[data-orig-opacity]").length).toBeGreaterThan(0);
    const doc = parse(figureToSvg(built.element, { width: 692 }));
    const selected = [...doc.querySelectorAll('[data-selected="true"]')];
    expect(selected.map((e) => e.getAttribute("data-participant")).sort()).toEqual(["TRD03", "TRD05"]);
    for (const e of selected) expect(e.getAttribute("stroke")).toBe(EXPORT_THEMES.light.foreground);
    expect(doc.querySelectorAll('circle[opacity="0.3"]').length).toBe(24);
    expect(doc.querySelectorAll("[data-orig-opacity]").length).toBe(0);
  });

  it("lays composed panels side by side when the figure says row, and stacks them otherwise", () => {
    const doc = newDocument();
    const panel = (w: number, h: number) => {
      const f = doc.createElement("figure");
      const svg = doc.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("width", String(w));
      svg.setAttribute("height", String(h));
      f.append(svg);
      return f;
    };
    const row = composeFigure(doc, "T", [panel(300, 200), panel(300, 100)], { row: true, name: "x" });
    const column = composeFigure(doc, "T", [panel(300, 200), panel(300, 100)], { row: false, name: "x" });
    const hRow = exportFigureSvg(row, { width: 640 }).height;
    const hColumn = exportFigureSvg(column, { width: 640 }).height;
    expect(hColumn - hRow).toBeGreaterThanOrEqual(100);
    // A graphic wider than the figure is scaled down to fit.
    const wide = exportFigureSvg(panel(1000, 500), { width: 516 });
    expect(wide.svg).toMatch(/scale\(0\.5000\d\)/);
    expect(wide.height).toBe(Math.ceil(250 + 16));
  });

  it("wraps text to the width with DejaVu Sans metrics", () => {
    expect(measureDejaVu("Axis", 100)).toBeCloseTo(68.4 + 59.2 + 27.8 + 52.1, 0);
    expect(measureDejaVu("A", 10, true)).toBeGreaterThan(measureDejaVu("A", 10));
    const lines = wrapText("one two three four five six seven eight nine ten", 80, 10);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(measureDejaVu(l, 10)).toBeLessThanOrEqual(80);
    expect(lines.join(" ")).toBe("one two three four five six seven eight nine ten");
  });
});
