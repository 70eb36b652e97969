/**
 * Looks at the built page "Plan a study" in Chromium (not a vitest test; run by hand after
 * `npm run build`):  npx tsx test/lib/power/page-check.ts [out-dir]
 * Writes screenshots at 1280 and 390 px, light and dark, and measures the time from a change of a
 * control to the first power estimate of the new plan (medians of 5 changes), and to the first
 * estimate after navigation.
 */
import { mkdirSync } from "node:fs";
import { launch, watch } from "../../e2e/browser.js";
import { serveDist } from "../../e2e/server.js";

const out = process.argv[2] ?? "/tmp/plan-shots";
mkdirSync(out, { recursive: true });
const { server, url } = await serveDist("dist");
const browser = await launch();
try {
  for (const scheme of ["light", "dark"] as const)
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
      const problems = watch(page);
      await page.goto(`${url}/plan?replicates=200`);
      await page.waitForSelector('[data-status="done"]', { timeout: 120000 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${out}/plan-${width}-${scheme}.png`, fullPage: true });
      // Parts at full resolution, to look at closely.
      await page.locator(".control-groups").screenshot({ path: `${out}/plan-${width}-${scheme}-controls.png` });
      await page.locator('[data-table="design"]').screenshot({ path: `${out}/plan-${width}-${scheme}-design.png` });
      await page.locator('[data-table="needed"]').screenshot({ path: `${out}/plan-${width}-${scheme}-needed.png` });
      await page.locator(".chart-with-downloads").first().screenshot({ path: `${out}/plan-${width}-${scheme}-curve.png` });
      console.log(`${width} ${scheme}: ${JSON.stringify(problems)}`);
      await page.close();
    }
  // Timing: first estimate after navigation, and after a change of a control (the design's events).
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const t0 = Date.now();
  await page.goto(`${url}/plan?replicates=100&curves.n=10,20&curves.events=20`);
  await page.waitForSelector('[data-table="design"]', { timeout: 60000 });
  console.log(`first estimate after navigation: ${Date.now() - t0} ms`);
  const times: number[] = [];
  for (const events of [30, 34, 38, 42, 46]) {
    await page.waitForSelector('[data-status="done"]', { timeout: 120000 });
    // A string, not a function: tsx would wrap a function's inner arrows in a helper the page lacks.
    const ms = (await page.evaluate(`new Promise((resolve) => {
      const input = document.querySelector('input[name="design.events_per_session"]');
      const start = performance.now();
      const obs = new MutationObserver(() => {
        const cell = document.querySelector('[data-table="design"] tbody tr td:last-child');
        const status = document.querySelector("[data-status]");
        if (cell && status && status.getAttribute("data-status") === "running" && /^25\\b/.test(cell.textContent || "")) {
          obs.disconnect();
          resolve(performance.now() - start);
        }
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      input.value = "${events}";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    })`)) as number;
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  // "Effects from the bundled study": the controls take the fitted values, and the URL holds them.
  const problems = watch(page);
  await page.getByRole("button", { name: /^Effects from Ketamine/ }).click();
  await page.waitForFunction(`document.querySelector('input[name="effects.learning_rates.TRD.post1.good"]').value === "0.531"`, undefined, { timeout: 30000 });
  await page.waitForFunction(`location.search.includes("effects.learning_rates.TRD.post1.good=0.531")`, undefined, { timeout: 30000 });
  console.log(`effects from the bundled study: ${await page.locator("[data-source]").innerText()} ${JSON.stringify(problems)}`);
  console.log(`first estimate after a change: median ${times[2].toFixed(0)} ms (all: ${times.map((t) => t.toFixed(0)).join(", ")})`);
} finally {
  await browser.close();
  server.close();
}
