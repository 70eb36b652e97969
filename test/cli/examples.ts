/**
 * Every documented example of the command line, run as printed (test/cli/examples.test.ts runs the
 * quick ones, examples.slow.test.ts those marked [slow]). The convention (docs/cli.md, "Examples
 * are tested"):
 *
 * - an example is a line of a ```sh (or bash, shell, console) block of README.md or docs/*.md that
 *   starts with `belief-kit <command>`, `npx belief-kit <command>` (or `belief-kit --help`) or `npm run <command>` where
 *   <command> is one of the kit's commands (a leading "$ " is allowed); other lines (npm ci, npm run
 *   dev, …) are not examples of the command line. The examples of every command's --help count too.
 * - it runs with `sh -c`, exactly as printed, in a fresh copy of the kit's folder (package.json,
 *   .npmrc and data/ copied; node_modules, dist-cli and src linked), with belief-kit on PATH (as
 *   after `npm link`) and an npm cache of its own (npx installs the kit there); it must exit 0,
 *   print no stack trace, and every `> file.json` it writes (or its stdout, with --json and no
 *   redirection) must be one JSON document.
 * - marks in the line's trailing comment: [slow] runs it in `npm run test:slow` only;
 *   [needs: chromium] / [needs: R] skips it where that is missing; [skip: reason] never runs it.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "../../src/cli/registry.js";
import type { Requirement } from "../../src/cli/command.js";

export const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

export interface DocExample {
  /** Where it is printed: "README.md:128" or "belief-kit analyze --help". */
  where: string;
  /** The line as printed, comment and marks included. */
  line: string;
  slow: boolean;
  skip?: string;
  needs: Requirement[];
}


const NAMES = Object.keys(COMMANDS).join("|");
const EXAMPLE = new RegExp(`^(?:npx )?belief-kit(?: (?:${NAMES}|help)\\b| --help\\b| -h\\b| --version\\b|$)|^npm run (?:(?:-s|--silent) )?(?:${NAMES})\\b`);

export function marksOf(line: string): Pick<DocExample, "slow" | "skip" | "needs"> {
  const skip = /\[skip:\s*([^\]]+)\]/.exec(line)?.[1].trim();
  const needs = (/\[needs:\s*([^\]]+)\]/.exec(line)?.[1] ?? "").split(",").map((s) => s.trim()).filter(Boolean) as Requirement[];
  for (const n of needs) if (n !== "chromium" && n !== "R") throw new Error(`[needs: ${n}]: expected chromium or R`);
  return { slow: /\[slow\]/.test(line), skip, needs };
}

/** The examples of a Markdown file's shell blocks. */
export function markdownExamples(file: string, text: string): DocExample[] {
  const out: DocExample[] = [];
  let fence: string | null = null;
  text.split("\n").forEach((raw, i) => {
    const open = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(raw);
    if (fence === null) {
      if (open) fence = /^(sh|bash|shell|console)$/.test(open[2]) ? open[1] : "other";
      return;
    }
    if (open && raw.trim().startsWith(fence === "other" ? raw.trim().slice(0, 3) : fence) && !open[2]) {
      fence = null;
      return;
    }
    if (fence === "other") return;
    const line = raw.trim().replace(/^\$ /, "");
    if (!EXAMPLE.test(line)) return;
    out.push({ where: `${file}:${i + 1}`, line, ...marksOf(line) });
  });
  return out;
}

/** Every example: README.md, docs/*.md, and each command's --help. */
export async function allExamples(): Promise<DocExample[]> {
  const out: DocExample[] = [];
  const files = ["README.md", ...(existsSync(join(ROOT, "docs")) ? readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`) : [])];
  for (const f of files) out.push(...markdownExamples(f, readFileSync(join(ROOT, f), "utf8")));
  for (const load of Object.values(COMMANDS)) {
    const { command } = await load();
    for (const e of command.examples) out.push({ where: `belief-kit ${command.name} --help`, line: e.command, slow: Boolean(e.slow), needs: e.needs ?? [], skip: e.skip });
  }
  return out;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const have: Record<Requirement, () => boolean> = {
  chromium: () => existsSync(CHROMIUM),
  R: () => spawnSync("Rscript", ["--version"], { stdio: "ignore" }).status === 0,
};

/** Why an example does not run here, or null. */
export function missing(e: DocExample): string | null {
  if (e.skip) return `marked [skip: ${e.skip}]`;
  const lacking = e.needs.filter((n) => !have[n]());
  return lacking.length ? `needs ${lacking.join(" and ")}, missing here` : null;
}

/** A fresh copy of the kit's folder as a user has it, with belief-kit on PATH. */
export function scratchKit(): string {
  const dir = mkdtempSync(join(tmpdir(), "buk-example-"));
  for (const f of ["package.json", ".npmrc"]) copyFileSync(join(ROOT, f), join(dir, f));
  cpSync(join(ROOT, "data"), join(dir, "data"), { recursive: true });
  // test/ read-only, for the examples on its public reference data (lme4's sleepstudy).
  for (const d of ["node_modules", "dist-cli", "src", "test"]) symlinkSync(join(ROOT, d), join(dir, d));
  mkdirSync(join(dir, ".bin"));
  symlinkSync(join(ROOT, "dist-cli", "belief-kit.js"), join(dir, ".bin", "belief-kit"));
  return dir;
}

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  dir: string;
}

/** Runs the line with sh in a scratch kit, as a user's shell would (no npm_* variables of the test's own npm). */
export function runExample(line: string, timeoutMs: number): Promise<Ran> {
  const dir = scratchKit();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== "INIT_CWD"));
  env.PATH = `${join(dir, ".bin")}:${env.PATH}`;
  // npx installs the kit into its cache, one entry per folder: keep those out of the user's ~/.npm.
  env.npm_config_cache = join(dir, ".npm-cache");
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", line], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("close", (status) => resolve({ status, stdout, stderr, dir }));
  });
}

/** The files a line redirects stdout to (`> a.json`, `>> log`), relative to where it ran. */
export function redirections(line: string): string[] {
  const code = line.replace(/\s#.*$/, "");
  return [...code.matchAll(/(?:^|\s)1?>>?\s*([^\s|&;<>]+)/g)].map((m) => m[1]);
}

/** The checks every example must pass; returns the problems (empty when fine). */
export function problems(e: DocExample, r: Ran): string[] {
  const p: string[] = [];
  if (r.status !== 0) p.push(`exit status ${r.status}`);
  if (/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr)) p.push("a stack trace on stderr");
  const files = redirections(e.line);
  for (const f of files.filter((x) => x.endsWith(".json"))) {
    const path = join(r.dir, f);
    if (!existsSync(path)) p.push(`${f} was not written`);
    else {
      try {
        JSON.parse(readFileSync(path, "utf8"));
      } catch (err) {
        p.push(`${f} is not one JSON document (${(err as Error).message}); it starts ${JSON.stringify(readFileSync(path, "utf8").slice(0, 80))}`);
      }
    }
  }
  if (!files.length && /\s--json\b/.test(e.line.replace(/\s#.*$/, ""))) {
    try {
      JSON.parse(r.stdout);
    } catch (err) {
      p.push(`stdout is not one JSON document (${(err as Error).message}); it starts ${JSON.stringify(r.stdout.slice(0, 80))}`);
    }
  }
  return p;
}

export function cleanUp(r: Ran): void {
  rmSync(r.dir, { recursive: true, force: true });
}
