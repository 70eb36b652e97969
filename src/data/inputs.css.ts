/**
 * Framework data loader: the stylesheet of Observable Inputs. Framework adds it to a page only
 * when the page imports Inputs through npm: (fetched from a CDN); the kit imports Inputs from
 * node_modules, so it takes the same file from Framework's install and applies the same
 * namespace rewrite (see rewriteInputsNamespace in @observablehq/framework/dist/rollup.js).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("@observablehq/framework/package.json"));
const css = readFileSync(join(dist, "dist/client/stdlib/inputs.css"), "utf8");
process.stdout.write(css.replace(/\b__ns__\b/g, "inputs-3a86ea"));
