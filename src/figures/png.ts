/**
 * PNG from an exported SVG (Node): resvg (WebAssembly, no platform binary) with the DejaVu fonts
 * shipped by the npm package dejavu-fonts-ttf, never system fonts, so the text renders the same on
 * every machine. A rasteriser without fonts drops text silently: `fontsLoaded()` checks it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { withDpi } from "./png-meta.js";

export { pngInfo, withDpi } from "./png-meta.js";

const require = createRequire(import.meta.url);

/** The faces the exported figures use (regular, bold, italic, bold italic). */
export const FONT_FILES = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"] as const;

export function fontDir(): string {
  return join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
}

let fonts: Uint8Array[] | null = null;
export function fontBuffers(): Uint8Array[] {
  return (fonts ??= FONT_FILES.map((f) => new Uint8Array(readFileSync(join(fontDir(), f)))));
}

let ready: Promise<void> | null = null;
export function initPng(): Promise<void> {
  return (ready ??= initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm"))));
}

/** Pixels for a physical length: round(mm / 25.4 × dpi). */
export function mmToPx(mm: number, dpi: number): number {
  return Math.round((mm / 25.4) * dpi);
}

export interface RasterOptions {
  /** Output width in pixels; the height follows the SVG's aspect ratio. */
  widthPx: number;
  /** Load the DejaVu fonts (default true; false only to test that text depends on them). */
  fonts?: boolean;
}

export interface Raster {
  width: number;
  height: number;
  /** RGBA, row-major. */
  pixels: Uint8Array;
  png: Uint8Array;
}

/**
 * The SVG with its root's width and height set to the raster's exact pixel size (widthPx ×
 * pngHeight of the viewBox), so that resvg draws at scale 1 and never rounds the height the other
 * way (460 × 2161 / 692 = 1436.503 came out 1436 px tall from "121.647mm"). Without a viewBox the
 * SVG is returned unchanged.
 */
export function sizedForRaster(svg: string, widthPx: number): string {
  const open = /<svg\b[^>]*>/.exec(svg);
  if (!open) return svg;
  const vb = /\sviewBox="([^"]*)"/.exec(open[0]);
  const nums = vb ? vb[1].trim().split(/[\s,]+/).map(Number) : [];
  if (nums.length !== 4 || !nums.every(Number.isFinite) || nums[2] <= 0) return svg;
  const height = pngHeight(nums[2], nums[3], widthPx);
  let tag = open[0].replace(/\s(width|height)="[^"]*"/g, "");
  tag = tag.replace(/^<svg\b/, `<svg width="${widthPx}" height="${height}"`);
  return svg.slice(0, open.index) + tag + svg.slice(open.index + open[0].length);
}

/** Rasterise with resvg; call (and await) initPng() first. */
export function rasterize(svg: string, options: RasterOptions): Raster {
  const useFonts = options.fonts !== false;
  const resvg = new Resvg(sizedForRaster(svg, options.widthPx), {
    fitTo: { mode: "width", value: options.widthPx },
    font: useFonts
      ? { fontBuffers: fontBuffers(), defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" }
      : { fontBuffers: [], defaultFontFamily: "DejaVu Sans" },
    shapeRendering: 2,
    textRendering: 1,
  });
  try {
    const image = resvg.render();
    try {
      return { width: image.width, height: image.height, pixels: image.pixels, png: image.asPng() };
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/** Expected PNG height for an SVG of viewBox size w × h drawn `widthPx` wide (resvg's rounding). */
export function pngHeight(viewBoxWidth: number, viewBoxHeight: number, widthPx: number): number {
  return Math.round((viewBoxHeight * widthPx) / viewBoxWidth);
}

/** SVG → PNG bytes at `widthPx`, tagged with `dpi`. */
export async function svgToPng(svg: string, options: RasterOptions & { dpi: number }): Promise<{ png: Uint8Array; width: number; height: number }> {
  await initPng();
  const r = rasterize(svg, options);
  return { png: withDpi(r.png, options.dpi), width: r.width, height: r.height };
}

/** True when resvg draws text with the loaded fonts (a text-only SVG renders ink). */
export async function fontsLoaded(): Promise<boolean> {
  await initPng();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30" viewBox="0 0 120 30"><text x="4" y="22" font-family="DejaVu Sans" font-size="18">Axis</text></svg>`;
  const { pixels } = rasterize(svg, { widthPx: 120 });
  let ink = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink++;
  return ink > 20;
}
