/**
 * Framework data loader: the equations of src/lib/analysis/equations.ts as MathML (KaTeX from
 * node_modules, output "mathml"): rendered once at build time, shown by the browser's own MathML
 * support with no web font, stylesheet or script.
 */
import katex from "katex";
import { EQUATIONS } from "../lib/analysis/equations.js";

process.stdout.write(JSON.stringify(EQUATIONS.map((e) => ({ label: e.label, tex: e.tex, mathml: katex.renderToString(e.tex, { output: "mathml", displayMode: true, throwOnError: true }) }))));
