import { serveDist } from "./test/e2e/server.js";
import { launch, watch } from "./test/e2e/browser.js";
const pages = process.argv.slice(2);
const { server, url } = await serveDist("dist");
const browser = await launch();
for (const spec of pages) {
  const [path, w = "1280", scheme = "light"] = spec.split("@");
  const ctx = await browser.newContext({ viewport: { width: Number(w), height: 900 }, colorScheme: scheme as "light" | "dark" });
  const page = await ctx.newPage();
  const p = watch(page);
  await page.goto(url + path, { waitUntil: "load" });
  await page.waitForTimeout(2500);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const name = `${path.replace(/[^a-z0-9]+/gi, "_")}_${w}_${scheme}.png`;
  await page.screenshot({ path: `/work/shots/${name}`, fullPage: true });
  const errs = await page.evaluate(() => [...document.querySelectorAll(".observablehq--error")].map((e) => e.textContent?.slice(0, 200)));
  console.log(`${path} ${w} ${scheme}: scrollWidth ${width}; console ${JSON.stringify(p.consoleErrors.slice(0, 3))}; failed ${JSON.stringify(p.failedRequests.slice(0, 3))}; external ${p.externalRequests.length}; cellErrors ${JSON.stringify(errs.slice(0, 3))} -> ${name}`);
  await ctx.close();
}
await browser.close();
server.close();
