/**
 * The shape of the code: data flow one way (src/lib below the components, the components below the
 * browser glue and the pages; inside src/lib, rooms in layers), no import cycle, files of one concept.
 * The import graph is read from the sources (static imports and re-exports).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, test } from "vitest";

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === ".observablehq" || name === "vendor") continue;
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

const SOURCES = files("src");

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Relative imports and re-exports of a file, resolved to .ts paths. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, "utf8");
  const out: Edge[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?["'](\.[^"']+)["']/gm)) {
    const to = normalize(join(dirname(file), m[3])).replace(/\.js$/, ".ts");
    out.push({ from: file, to, typeOnly: !!m[2] });
  }
  return out;
}

const EDGES = SOURCES.flatMap(importsOf).filter((e) => e.to.startsWith("src/") && !e.to.startsWith("src/vendor/"));

/** Top-level area of a source file. */
const area = (f: string) => f.split("/")[1];
/** Room of a src/lib file. */
const room = (f: string) => f.split("/")[2];

/** Who may import whom among the top-level areas (data flows one way). */
const AREAS: Record<string, string[]> = {
  lib: ["lib"],
  components: ["lib", "components"],
  figures: ["lib", "components", "figures"],
  workers: ["lib", "workers"],
  browser: ["lib", "components", "figures", "workers", "browser"],
  embed: ["lib", "components", "figures", "browser", "embed"],
  cli: ["lib", "components", "figures", "cli"],
  data: ["lib", "data"],
  studies: ["lib", "browser", "studies"],
};

/** The rooms of src/lib in layers: a room imports only from rooms below it (or a leaf: a file with no runtime import of the kit). */
const LAYERS = [["stats"], ["study"], ["task"], ["models"], ["lmm", "mediation"], ["designs"], ["analysis"], ["power", "report"]];
const layerOf = (r: string) => LAYERS.findIndex((l) => l.includes(r));

/** A file that imports nothing of the kit at run time (types and plain definitions), which any layer may use. */
function isLeaf(file: string): boolean {
  return importsOf(file).every((e) => e.typeOnly || !e.to.startsWith("src/lib/"));
}

describe("architecture", () => {
  test("data flow one way between the top-level areas", () => {
    const bad = EDGES.filter((e) => area(e.from) in AREAS && !AREAS[area(e.from)].includes(area(e.to))).map((e) => `${e.from} -> ${e.to}`);
    expect(bad).toEqual([]);
  });

  test("inside src/lib no import runs back up the layers (stats < study < task < models < lmm, mediation < designs, power < analysis < report)", () => {
    const bad = EDGES.filter((e) => e.from.startsWith("src/lib/") && e.to.startsWith("src/lib/") && room(e.from) !== room(e.to))
      .filter((e) => layerOf(room(e.to)) > layerOf(room(e.from)) && !e.typeOnly && !isLeaf(e.to))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(bad).toEqual([]);
    for (const r of new Set(SOURCES.filter((f) => f.startsWith("src/lib/")).map(room))) expect(layerOf(r), `room ${r} has a layer`).toBeGreaterThanOrEqual(0);
  });

  test("no import cycle between files (runtime imports)", () => {
    const graph = new Map<string, string[]>();
    for (const e of EDGES) if (!e.typeOnly) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    const state = new Map<string, number>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 2) return;
      if (state.get(f) === 1) {
        cycles.push([...path.slice(path.indexOf(f)), f].join(" -> "));
        return;
      }
      state.set(f, 1);
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 2);
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  test("src/lib has no file at its root and no source file is over 600 lines", () => {
    expect(readdirSync("src/lib").filter((f) => f.endsWith(".ts"))).toEqual([]);
    const long = SOURCES.map((f) => [f, readFileSync(f, "utf8").split("\n").length] as const).filter(([, n]) => n > 600).map(([f, n]) => `${f} (${n})`);
    expect(long).toEqual([]);
  });

  test("src/lib uses no DOM and no Node API, except the Node-only loaders it names", () => {
    const nodeOnly = new Set(["src/lib/study/load.ts"]);
    const bad = SOURCES.filter((f) => f.startsWith("src/lib/") && !nodeOnly.has(f)).filter((f) => /from ["']node:|\bdocument\.(createElement|querySelector|body|documentElement)|\bwindow\.(location|document|addEventListener)/.test(readFileSync(f, "utf8")));
    expect(bad.map((f) => relative(".", f))).toEqual([]);
  });
});
