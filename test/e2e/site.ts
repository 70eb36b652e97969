/**
 * The built site (dist/) served on localhost and one Chromium for a test file: call
 * `useBuiltSite()` at the top of the file; `site.browser` and `site.base` are set before the tests.
 */
import { afterAll, beforeAll } from "vitest";
import type { Browser } from "playwright-core";
import type { Server } from "node:http";
import { serveDist } from "./server.js";
import { launch } from "./browser.js";

export interface BuiltSite {
  readonly browser: Browser;
  /** The site's origin, e.g. http://127.0.0.1:41234 */
  readonly base: string;
}

export function useBuiltSite(root = "dist"): BuiltSite {
  let browser: Browser | undefined;
  let server: Server | undefined;
  let base = "";
  beforeAll(async () => {
    ({ server, url: base } = await serveDist(root));
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error("the browser is started in beforeAll");
      return browser;
    },
    get base() {
      return base;
    },
  };
}
