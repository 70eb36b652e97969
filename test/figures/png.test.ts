import { beforeAll, describe, expect, it } from "vitest";
import { FIGURES, figureContext, type FigureContext } from "../../src/figures/registry.js";
import { exportFigureSvg } from "../../src/figures/svg-export.js";
import { fontsLoaded, initPng, mmToPx, pngHeight, pngInfo, rasterize, sizedForRaster, svgToPng, withDpi } from "../../src/figures/png.js";
import { bundled, newDocument } from "../fixtures/figures/helpers.js";

let single: FigureContext;
let double: FigureContext;
beforeAll(async () => {
  await initPng();
  const { study, params, analysis } = await bundled();
  single = figureContext(study, params, { document: newDocument(), width: mmToPx(89, 96), analysis, media: "print" });
  double = figureContext(study, params, { document: newDocument(), width: mmToPx(183, 96), analysis, media: "print" });
});

/** Share of pixels that differ from the top-left (background) pixel, and the number of distinct colours. */
function ink(pixels: Uint8Array): { share: number; colours: number } {
  const [r, g, b] = [pixels[0], pixels[1], pixels[2]];
  let differ = 0;
  const colours = new Set<number>();
  for (let i = 0; i < pixels.length; i += 4) {
    if (Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) > 30) differ++;
    if (colours.size < 5000) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
  }
  return { share: differ / (pixels.length / 4), colours: colours.size };
}

function differing(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 4) if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 30) n++;
  return n / (a.length / 4);
}

describe("PNG export", () => {
  it("has the fonts: a text-only SVG renders ink with them and nothing without them", async () => {
    expect(await fontsLoaded()).toBe(true);
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40" viewBox="0 0 200 40"><text x="4" y="30" font-family="'DejaVu Sans', Arial, sans-serif" font-size="24">Session</text></svg>`;
    const alpha = (p: Uint8Array) => p.filter((_, i) => i % 4 === 3 && p[i] > 0).length;
    expect(alpha(rasterize(svg, { widthPx: 200 }).pixels)).toBeGreaterThan(300);
    expect(alpha(rasterize(svg, { widthPx: 200, fonts: false }).pixels)).toBe(0); // what a rasteriser without fonts does
  });

  it("rasterises at exactly round(height × widthPx / width), also when resvg would round the other way", async () => {
    // 460 × 2161 / 692 = 1436.503: from width="183mm" height="121.647mm" resvg drew 1436 rows.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="183mm" height="121.647mm" viewBox="0 0 692 460"><rect width="692" height="460" fill="#fff"/><rect x="0" y="459" width="692" height="1" fill="#000"/></svg>`;
    expect(sizedForRaster(svg, 2161)).toMatch(/^<svg width="2161" height="1437" xmlns=/);
    const { width, height, pixels } = rasterize(svg, { widthPx: 2161 });
    expect([width, height]).toEqual([2161, 1437]);
    expect(pixels[(height - 1) * width * 4 + 4 * 1000]).toBeLessThan(128); // the last row is drawn (the black line), not cut
  });

  it("pixel size is round(mm / 25.4 × dpi)", () => {
    expect(mmToPx(89, 300)).toBe(1051);
    expect(mmToPx(183, 300)).toBe(2161);
    expect(mmToPx(89, 600)).toBe(2102);
  });

  for (const [label, mm, dpi] of [
    ["single column, 300 dpi", 89, 300],
    ["double column, 300 dpi", 183, 300],
    ["single column, 150 dpi", 89, 150],
  ] as const) {
    it.each(FIGURES.map((f) => f.name))(`%s, ${label}: exact size, dpi tag, not blank, with text`, async (name) => {
      const ctx = mm === 89 ? single : double;
      const built = FIGURES.find((f) => f.name === name)!.build(ctx);
      const exported = exportFigureSvg(built.element, { width: ctx.width, widthMm: mm });
      const widthPx = mmToPx(mm, dpi);
      const { png, width, height } = await svgToPng(exported.svg, { widthPx, dpi });
      const info = pngInfo(png);
      expect(info.width).toBe(widthPx);
      expect(width).toBe(widthPx);
      expect(info.height).toBe(pngHeight(exported.width, exported.height, widthPx));
      // The physical height at this dpi, within what rounding the width (≤ ½ px) and the height costs.
      expect(Math.abs(info.height - (exported.height_mm! / 25.4) * dpi)).toBeLessThanOrEqual(0.5 + (0.5 * info.height) / widthPx + 0.01);
      expect(info.dpi).toBe(dpi);
      if (dpi !== 300) return;
      const withText = rasterize(exported.svg, { widthPx });
      const { share, colours } = ink(withText.pixels);
      expect(share).toBeGreaterThan(0.02); // marks, axes and text on the background
      expect(colours).toBeGreaterThan(20); // the chart's colours and anti-aliasing
      // The text: the same SVG without fonts loses every glyph, so the two renders differ.
      const noText = rasterize(exported.svg, { widthPx, fonts: false });
      expect(differing(withText.pixels, noText.pixels)).toBeGreaterThan(0.01);
    });
  }

  it("writes and reads the pHYs chunk", async () => {
    const { png } = await svgToPng(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="5"><rect width="10" height="5"/></svg>`, { widthPx: 20, dpi: 600 });
    expect(pngInfo(png)).toEqual({ width: 20, height: 10, dpi: 600 });
    expect(pngInfo(withDpi(png, 72)).dpi).toBe(72); // replaced, not duplicated
    expect(() => pngInfo(new Uint8Array([1, 2, 3]))).toThrow(/not a PNG/);
  });
});
