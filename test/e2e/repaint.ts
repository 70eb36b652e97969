/**
 * In-page repaint timing: from the `input` event of a control to the first frame painted after
 * a watched element's text changed (performance.now() in the page, so Playwright's round trips
 * are not counted). Used by the browser tests to report issue 7's repaint figures.
 */
import type { Page } from "playwright-core";

export interface RepaintChange {
  /** The control's name (its URL key). */
  control: string;
  /** For a select: the text of the option to choose; for a number or text input: the value. */
  value?: string;
  /** For checkboxes: the label of the box to tick or untick. */
  toggle?: string;
  /** Selector of the element whose text must change. */
  watch: string;
}

/** Milliseconds from the change to the painted frame, or -1 if the text did not change within 10 s. */
export async function measureRepaint(page: Page, change: RepaintChange): Promise<number> {
  return page.evaluate(
    ({ control, value, toggle, watch }) =>
      new Promise<number>((resolve, reject) => {
        const root = document.querySelector(`[data-param="${control}"]`) ?? document;
        let el: HTMLSelectElement | HTMLInputElement | null;
        if (toggle !== undefined) {
          const label = [...root.querySelectorAll("label")].find((l) => l.textContent?.trim() === toggle);
          el = label?.querySelector("input") ?? root.querySelector<HTMLInputElement>(`input[type="checkbox"][value="${toggle}"]`);
        } else el = root.querySelector(`select[name="${control}"], input[name="${control}"]`);
        if (!el) return reject(new Error(`no control named ${control}${toggle ? ` with a box ${toggle}` : ""}`));
        const before = document.querySelector(watch)?.textContent;
        let index = -1;
        if (el instanceof HTMLSelectElement) {
          index = [...el.options].findIndex((o) => o.textContent === value);
          if (index < 0) return reject(new Error(`control ${control} has no option ${value}`));
        }
        let t0 = 0;
        // The mutation that changes the watched text is seen during the page's update; the next
        // animation frame starts after the frame holding that update has been painted.
        const observer = new MutationObserver(() => {
          if (document.querySelector(watch)?.textContent === before) return;
          observer.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          resolve(-1);
        }, 10000);
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        t0 = performance.now();
        if (el instanceof HTMLSelectElement) el.selectedIndex = index;
        else if (toggle !== undefined) el.checked = !el.checked;
        else el.value = value ?? "";
        el.dispatchEvent(new Event("input", { bubbles: true }));
      }),
    change,
  );
}

/** Alternate between values `repeat` times (a pause between changes lets the workers finish). */
export async function repaintSeries(page: Page, control: string, values: string[], watch: string, repeat = 5, pause = 600): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < repeat; i++) {
    out.push(Math.round(await measureRepaint(page, { control, value: values[i % values.length], watch })));
    await page.waitForTimeout(pause);
  }
  return out;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const describeSeries = (xs: number[]) => `median ${median(xs)} ms (${xs.join(", ")})`;
