/** Where the headless Chromium of the PDF export is (Debian's by default; CHROMIUM_PATH overrides). Node only. */
import { existsSync } from "node:fs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}
