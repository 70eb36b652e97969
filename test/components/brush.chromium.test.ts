/**
 * The mediation scatter's brush with a real mouse in Chromium (hit testing, paint order and the
 * click after a drag are the browser's, not jsdom's): a click on a dot opens it, a drag on empty
 * space or from a dot selects, and the rectangle stays after release. Skipped, with a message,
 * when Debian's Chromium is missing.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, chromiumAvailable } from "../../src/figures/chromium.js";

const HAVE_CHROMIUM = chromiumAvailable();
if (!HAVE_CHROMIUM) console.warn(`test/components/brush.chromium.test.ts skipped: no Chromium at ${CHROMIUM}`);

const tmp = mkdtempSync(join(tmpdir(), "brush-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!HAVE_CHROMIUM)("brushing the mediation scatter with a real mouse", () => {
  let browser: Browser;
  let script: string;
  beforeAll(async () => {
    const src = new URL("../../src/components/", import.meta.url).pathname;
    const entry = join(tmp, "entry.ts");
    writeFileSync(
      entry,
      `import {mediationScatter} from ${JSON.stringify(join(src, "mediation-scatter.ts"))};
       import {attachBrush} from ${JSON.stringify(join(src, "brush.ts"))};
       (window as any).kit = {mediationScatter, attachBrush};`,
    );
    script = (await build({ entryPoints: [entry], bundle: true, format: "iife", platform: "browser", write: false, logLevel: "error" })).outputFiles[0].text;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  }, 60000);
  afterAll(async () => browser?.close());

  /** An empty page with a #chart div and the bundled chart and brush as window.kit. */
  async function blankPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await page.setContent(`<!doctype html><html><body style="margin:0"><div id="chart"></div></body></html>`);
    await page.addScriptTag({ content: script });
    return page;
  }

  async function open(): Promise<Page> {
    const page = await blankPage();
    await page.evaluate(() => {
      const kit = (window as any).kit;
      const w = window as any;
      w.clicks = [];
      w.changes = [];
      const points = Array.from({ length: 12 }, (_, i) => ({ participant_id: `P${i + 1}`, dM: (i % 4) / 3 - 0.5, dY: -20 + Math.floor(i / 4) * 6 }));
      const line = [{ x: -0.5, y: -18, lo: -20, hi: -16 }, { x: 0.5, y: -8, lo: -10, hi: -6 }];
      const chart = kit.mediationScatter(points, line, { width: 600, height: 400, xLabel: "ΔM", yLabel: "ΔY", onDotClick: (id: string) => w.clicks.push(id) });
      document.getElementById("chart")!.append(chart);
      kit.attachBrush(chart, points.map((p: any) => ({ id: p.participant_id, x: p.dM, y: p.dY })), (ids: string[] | null) => w.changes.push(ids));
    });
    return page;
  }
  const center = async (page: Page, selector: string) => {
    const b = (await page.locator(selector).boundingBox())!;
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };
  const state = (page: Page) =>
    page.evaluate(() => {
      const r = document.querySelector("g.brush .selection") as SVGRectElement;
      return {
        clicks: (window as any).clicks as string[],
        changes: (window as any).changes as (string[] | null)[],
        rectShown: r.style.display !== "none" && Number(r.getAttribute("width")) > 0,
        selected: [...document.querySelectorAll('circle[data-selected="true"]')].map((c) => c.getAttribute("data-participant")).sort(),
      };
    });

  it("a click on a dot opens that dot (the overlay does not swallow it)", async () => {
    const page = await open();
    const p = await center(page, 'circle[data-participant="P6"]');
    expect(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.getAttribute("data-participant"), p)).toBe("P6");
    await page.mouse.click(p.x, p.y);
    const s = await state(page);
    expect(s.clicks).toEqual(["P6"]);
    expect(s.changes).toEqual([]);
    await page.close();
  });

  it("a drag on empty space selects the dots inside and the rectangle stays visible after release; a click on a dot keeps it", async () => {
    const page = await open();
    // From between P1 and P6 (inside the frame, on no dot) to just beyond P6: only P6.
    const a = await center(page, 'circle[data-participant="P1"]');
    const b = await center(page, 'circle[data-participant="P6"]');
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + 12, b.y - 12, { steps: 6 });
    await page.mouse.up();
    await page.waitForTimeout(50);
    let s = await state(page);
    expect(s.changes.at(-1)!.sort()).toEqual(["P6"]);
    expect(s.selected).toEqual(["P6"]);
    expect(s.rectShown).toBe(true);
    expect(s.clicks).toEqual([]);
    const n = s.changes.length;
    const c = await center(page, 'circle[data-participant="P12"]');
    await page.mouse.click(c.x, c.y);
    s = await state(page);
    expect(s.clicks).toEqual(["P12"]);
    expect(s.changes.length).toBe(n);
    expect(s.rectShown).toBe(true);
    await page.close();
  });

  it("on a page that redraws the chart on every brush move (as the dashboard does), the rectangle follows the mouse and stays", async () => {
    const page = await blankPage();
    await page.evaluate(() => {
      const kit = (window as any).kit;
      const w = window as any;
      w.changes = [];
      w.redraws = 0;
      const points = Array.from({ length: 12 }, (_, i) => ({ participant_id: `P${i + 1}`, dM: (i % 4) / 3 - 0.5, dY: -20 + Math.floor(i / 4) * 6 }));
      const draw = (selected: string[] | null) => {
        const chart = kit.mediationScatter(points, [], { width: 600, height: 400, xLabel: "ΔM", yLabel: "ΔY", selected });
        kit.attachBrush(chart, points.map((p: any) => ({ id: p.participant_id, x: p.dM, y: p.dY })), (ids: string[] | null) => {
          w.changes.push(ids);
          requestAnimationFrame(() => { w.redraws++; draw(ids); }); // a reactive cell re-running
        });
        document.getElementById("chart")!.replaceChildren(chart);
      };
      draw(null);
    });
    const a = await center(page, 'circle[data-participant="P1"]');
    const b = await center(page, 'circle[data-participant="P6"]');
    const from = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const to = await center(page, 'circle[data-participant="P11"]');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 6; i++) {
      await page.mouse.move(from.x + ((to.x + 8 - from.x) * i) / 6, from.y + ((to.y - 8 - from.y) * i) / 6);
      await page.waitForTimeout(60); // let the page redraw between moves
    }
    await page.mouse.up();
    await page.waitForTimeout(100);
    const s = await page.evaluate(() => {
      const r = document.querySelector("g.brush .selection") as SVGRectElement;
      const box = r.getBoundingClientRect();
      return { redraws: (window as any).redraws, last: (window as any).changes.at(-1), shown: r.style.display !== "none", box: [box.left, box.top, box.right, box.bottom] };
    });
    expect(s.redraws).toBeGreaterThan(2);
    expect([...s.last].sort()).toEqual(["P10", "P11", "P6", "P7"]);
    expect(s.shown).toBe(true);
    // The rectangle on the redrawn chart is the one the mouse drew.
    expect(s.box[0]).toBeCloseTo(from.x, -0.5);
    expect(s.box[2]).toBeCloseTo(to.x + 8, -0.5);
    expect(s.box[1]).toBeCloseTo(to.y - 8, -0.5);
    expect(s.box[3]).toBeCloseTo(from.y, -0.5);
    await page.close();
  });

  it("a drag that starts on a dot brushes and does not open the dot", async () => {
    const page = await open();
    const a = await center(page, 'circle[data-participant="P6"]');
    const b = await center(page, 'circle[data-participant="P11"]');
    // Pressed on P6's lower left (inside the dot), so that its centre is inside the rectangle.
    await page.mouse.move(a.x - 2, a.y + 2);
    expect(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.getAttribute("data-participant"), { x: a.x - 2, y: a.y + 2 })).toBe("P6");
    await page.mouse.down();
    await page.mouse.move(b.x + 10, b.y - 10, { steps: 6 });
    await page.mouse.up();
    await page.waitForTimeout(50);
    const s = await state(page);
    expect(s.changes.at(-1)!.sort()).toEqual(["P10", "P11", "P6", "P7"]);
    expect(s.rectShown).toBe(true);
    expect(s.clicks).toEqual([]);
    await page.close();
  });
});
