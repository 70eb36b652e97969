/**
 * PDF from an exported SVG (Node): headless Chromium (Debian's, through playwright-core) prints the
 * SVG on a page of exactly the figure's size. The content stays vector and the text selectable;
 * the DejaVu fonts of dejavu-fonts-ttf are embedded as @font-face so the output does not depend on
 * the machine's fonts. One browser serves every figure of a run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM, chromiumAvailable } from "./chromium.js";
import { fontDir } from "./png.js";

export { CHROMIUM, chromiumAvailable } from "./chromium.js";

const FACES = [
  { file: "DejaVuSans.ttf", weight: "normal", style: "normal" },
  { file: "DejaVuSans-Bold.ttf", weight: "bold", style: "normal" },
  { file: "DejaVuSans-Oblique.ttf", weight: "normal", style: "italic" },
  { file: "DejaVuSans-BoldOblique.ttf", weight: "bold", style: "italic" },
];

let fontCss: string | null = null;
function fontFaces(): string {
  return (fontCss ??= FACES.map(
    (f) =>
      `@font-face { font-family: "DejaVu Sans"; font-weight: ${f.weight}; font-style: ${f.style}; src: url(data:font/ttf;base64,${readFileSync(join(fontDir(), f.file)).toString("base64")}) format("truetype"); }`,
  ).join("\n"));
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function pageCss(widthMm: number, heightMm: number): string {
  return `@page { size: ${widthMm}mm ${heightMm}mm; margin: 0; }
html, body { margin: 0; padding: 0; }
body > svg { display: block; width: ${widthMm}mm; height: ${heightMm}mm; }`;
}

/** The HTML page Chromium prints: the SVG filling a page of widthMm × heightMm. */
export function pdfPage(svg: string, widthMm: number, heightMm: number, title = ""): string {
  const body = svg.replace(/^<\?xml[^>]*>\s*/, "");
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>
${fontFaces()}
</style><style id="page-size">${pageCss(widthMm, heightMm)}</style></head><body>${body}</body></html>`;
}

export class PdfRenderer {
  private page: Page | null = null;

  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<PdfRenderer> {
    if (!chromiumAvailable()) throw new Error(`Chromium not found at ${CHROMIUM}: run 'apt-get install -y chromium' (as root) or set CHROMIUM_PATH`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    });
    return new PdfRenderer(browser);
  }

  /** One page for every figure: the fonts are parsed once, then each figure replaces the body. */
  private async ready(): Promise<Page> {
    if (this.page) return this.page;
    const page = await this.browser.newPage();
    await page.setContent(pdfPage("", 10, 10), { waitUntil: "load" });
    await page.evaluate(async () => {
      await Promise.all(['12px "DejaVu Sans"', 'bold 12px "DejaVu Sans"', 'italic 12px "DejaVu Sans"', 'italic bold 12px "DejaVu Sans"'].map((f) => document.fonts.load(f)));
    });
    return (this.page = page);
  }

  /** A one-page PDF of the SVG at widthMm × heightMm. */
  async render(svg: string, options: { widthMm: number; heightMm: number; title?: string }): Promise<Uint8Array> {
    const page = await this.ready();
    const { widthMm, heightMm } = options;
    await page.evaluate(
      async ({ svg, css, title }) => {
        document.title = title;
        document.getElementById("page-size")!.textContent = css;
        document.body.innerHTML = svg;
        await document.fonts.ready;
      },
      { svg: svg.replace(/^<\?xml[^>]*>\s*/, ""), css: pageCss(widthMm, heightMm), title: options.title ?? "" },
    );
    const pdf = await page.pdf({
      width: `${widthMm}mm`,
      height: `${heightMm}mm`,
      margin: { top: "0", right: "0", bottom: "0", left: "0" },
      printBackground: true,
      preferCSSPageSize: true,
      pageRanges: "1",
    });
    return new Uint8Array(pdf);
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
