/** Small things several commands share: the default study, its message, where the package is, a phase timer. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const DEFAULT_STUDY = "data/ketamine-trd";

export const NO_SUCH_STUDY = (dir: string) => `${dir}: no such study folder (expected a folder with study.json, participants.csv, trials.csv, clinical.csv)`;

let root: string | undefined;
/**
 * The kit's folder (where package.json is), found from this module's own place, so that it is the
 * same from the sources (src/cli/, through tsx) and from the compiled bin (dist-cli/).
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "belief-updating-kit") return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`belief-kit: cannot find the kit's package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/**
 * A phase timer for --timings: each call records the time since the previous one; at exit the
 * phases are printed on stderr, starting with the time from the start of the process (Node's own
 * start and loading the kit's modules) and ending with the whole.
 */
export function timer(enabled: boolean): (phase: string) => void {
  if (!enabled) return () => {};
  const phases: [string, number][] = [["node start and loading the modules", performance.now()]];
  let last = performance.now();
  process.on("exit", () => {
    const total = performance.now();
    const width = Math.max(...phases.map(([p]) => p.length));
    const lines = phases.map(([p, ms]) => `  ${p.padEnd(width)}  ${ms.toFixed(0).padStart(6)} ms`);
    process.stderr.write(`timings (ms since the process started: ${total.toFixed(0)}):\n${lines.join("\n")}\n`);
  });
  return (phase) => {
    const now = performance.now();
    phases.push([phase, now - last]);
    last = now;
  };
}
