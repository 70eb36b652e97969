/**
 * What the worker loaders share (analysis-worker.txt.ts, power-worker.txt.ts): one Web Worker and
 * the src/lib modules it imports, bundled by esbuild into one self-contained ES module, served as
 * text and started by its page from a Blob URL. esbuild comes with Framework; nothing is fetched.
 */
import { build } from "esbuild";

export async function bundleWorker(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [new URL(`../workers/${entry}`, import.meta.url).pathname],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    legalComments: "none",
  });
  return result.outputFiles[0].text;
}
