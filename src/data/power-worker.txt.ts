/**
 * Framework data loader: bundles the power Web Worker (src/workers/power-worker.ts and the src/lib
 * modules it imports) into one self-contained ES module, served as text; the page "Plan a study" starts
 * it from a Blob URL. (bundle-worker.ts)
 * Like every loader, it is cached: after changing src/lib, run `npm run clean`.
 */
import { bundleWorker } from "./bundle-worker.js";

process.stdout.write(await bundleWorker("power-worker.ts"));
