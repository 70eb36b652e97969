/**
 * Browser glue: "Download SVG" and "Download PNG" buttons for a chart. They export the chart AS
 * SHOWN when clicked (current parameters and selection): the same `figureToSvg` as
 * `npm run figures`. The SVG takes the page's text colour and the page's background (not a card's
 * grey behind the chart); the PNG, for slides and documents, is always on white with the light
 * theme's text colour, in light and dark mode (`png: "page"` for the SVG's colours instead). The
 * PNG is that SVG drawn on a canvas at dpi/96 times its size, tagged with the dpi.
 */
import { EXPORT_FONT_FAMILY, EXPORT_THEMES, exportFigureSvg, type ExportedSvg, type ThemeName } from "../figures/svg-export.js";
import { withDpi } from "../figures/png-meta.js";
import type { MeasureText } from "../components/text-metrics.js";

export interface DownloadOptions {
  /** File name without extension, e.g. "mediation-scatter". */
  name: string;
  /** Default: the page's colour scheme (prefers-color-scheme). */
  theme?: ThemeName;
  /** PNG resolution (default 192 dpi: twice the screen's 96). */
  dpi?: number;
  /** Colours of the PNG: "white" (default: white background, light theme's text) or "page" (as the SVG). */
  png?: "white" | "page";
}

/** The page's colour scheme. */
export function pageTheme(win: Window = window): ThemeName {
  return win.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function opaque(color: string): boolean {
  return !!color && color !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(color);
}

/** The page's background: the body's, else the root element's (a card's grey behind the chart is not the figure's). */
function pageBackground(doc: Document, win: Window): string | null {
  for (const e of [doc.body, doc.documentElement]) {
    if (!e) continue;
    const bg = win.getComputedStyle(e).backgroundColor;
    if (opaque(bg)) return bg;
  }
  return null;
}

/** Text widths measured by the browser in the font the export names. */
function canvasMeasure(doc: Document): MeasureText | undefined {
  const ctx = doc.createElement("canvas").getContext("2d");
  if (!ctx) return undefined;
  return (text, size, bold) => {
    ctx.font = `${bold ? "bold " : ""}${size}px ${EXPORT_FONT_FAMILY}`;
    return ctx.measureText(text).width;
  };
}

/** The chart as shown, as a standalone SVG with the page's text colour and background. */
export function svgAsShown(figure: Element, theme?: ThemeName): ExportedSvg {
  const doc = figure.ownerDocument;
  const win = doc.defaultView ?? window;
  const t = theme ?? pageTheme(win);
  const style = win.getComputedStyle(figure);
  const fg = opaque(style.color) ? style.color : EXPORT_THEMES[t].foreground;
  const bg = pageBackground(doc, win) ?? EXPORT_THEMES[t].background;
  return exportFigureSvg(figure, { theme: t, foreground: fg, background: bg, measure: canvasMeasure(doc) });
}

/** The chart as shown on white: the light theme's text colour and a white background, whatever the page's theme. */
export function svgOnWhite(figure: Element): ExportedSvg {
  const { foreground, background } = EXPORT_THEMES.light;
  return exportFigureSvg(figure, { theme: "light", foreground, background, measure: canvasMeasure(figure.ownerDocument) });
}

function save(doc: Document, blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement("a");
  a.href = url;
  a.download = filename;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The SVG drawn on a canvas `scale` times its size, as PNG bytes tagged with `dpi`. */
export async function svgToPngBlob(doc: Document, exported: ExportedSvg, dpi: number): Promise<Blob> {
  const scale = dpi / 96;
  const url = URL.createObjectURL(new Blob([exported.svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.decoding = "sync";
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("the exported SVG could not be drawn"));
      img.src = url;
    });
    const canvas = doc.createElement("canvas");
    canvas.width = Math.round(exported.width * scale);
    canvas.height = Math.round(exported.height * scale);
    const ctx = canvas.getContext("2d")!;
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("canvas export failed"))), "image/png"));
    return new Blob([withDpi(new Uint8Array(await blob.arrayBuffer()), dpi)], { type: "image/png" });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Two buttons that download the chart as SVG and PNG. `figure` may be a function returning the
 * chart currently on the page (charts redrawn on resize are replaced).
 */
export function downloadButtons(figure: Element | (() => Element | null | undefined), options: DownloadOptions): HTMLElement {
  const doc = typeof figure === "function" ? document : figure.ownerDocument;
  const current = () => (typeof figure === "function" ? figure() : figure);
  const box = doc.createElement("div");
  box.className = "figure-downloads";
  box.setAttribute("data-figure", options.name);
  const button = (label: string, format: "svg" | "png") => {
    const b = doc.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.setAttribute("data-download", format);
    b.addEventListener("click", async () => {
      const el = current();
      if (!el) return;
      b.disabled = true;
      try {
        if (format === "svg") save(doc, new Blob([svgAsShown(el, options.theme).svg], { type: "image/svg+xml" }), `${options.name}.svg`);
        else {
          const exported = options.png === "page" ? svgAsShown(el, options.theme) : svgOnWhite(el);
          save(doc, await svgToPngBlob(doc, exported, options.dpi ?? 192), `${options.name}.png`);
        }
      } catch (e) {
        console.error(e);
        b.title = (e as Error).message;
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  box.append(button("Download SVG", "svg"), button("Download PNG", "png"));
  return box;
}

/**
 * A chart followed by its Download SVG / PNG buttons. `chart` is what a page displays (often
 * the container that Framework's resize() re-renders); the buttons export the <figure> inside
 * it at the moment of the click, so they always take what is shown.
 */
export function withDownloads(chart: Element, name: string, options: Omit<DownloadOptions, "name"> = {}): HTMLElement {
  const box = document.createElement("div");
  box.className = "chart-with-downloads";
  box.append(chart, downloadButtons(() => (chart.matches("figure") ? chart : chart.querySelector("figure")), { ...options, name }));
  return box;
}

/**
 * A link that downloads `build()` as a JSON file, built when it is clicked (for documents too
 * costly to build on every parameter change). The previous file's object URL is released.
 */
export function jsonDownloadLink(text: string, fileName: string, build: () => unknown, options: { invalidation?: Promise<unknown> } = {}): HTMLAnchorElement {
  const a = document.createElement("a");
  a.textContent = text;
  a.download = fileName;
  a.href = "#";
  let url: string | null = null;
  a.addEventListener("click", () => {
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([JSON.stringify(build(), null, 2)], { type: "application/json" }));
    a.href = url; // read by the browser after the listeners: the download gets this file
  });
  options.invalidation?.then(() => url && URL.revokeObjectURL(url));
  return a;
}
