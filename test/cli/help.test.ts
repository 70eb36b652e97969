/** `belief-kit --help` and `belief-kit <command> --help`: generated from each command's spec, exit 0, usage, options with defaults, examples. */
import { describe, expect, test } from "vitest";
import { execFile } from "node:child_process";
import { COMMANDS } from "../../src/cli/registry.js";
import { helpText, type Command } from "../../src/cli/command.js";
import { defaultParams } from "../../src/lib/analysis/params.js";
import { designOf } from "../../src/lib/analysis/pipeline.js";
import { loadStudyFromDir } from "../../src/lib/study/load.js";

/** The compiled bin, asynchronously (the commands' help texts are asked for side by side). */
export function bin(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["dist-cli/belief-kit.js", ...args], { encoding: "utf8", timeout: 60000 }, (error, stdout, stderr) =>
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const commands: Command[] = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).command));

describe.concurrent("belief-kit --help", () => {
  test("lists every command with its summary, exits 0", async () => {
    const r = await bin(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^belief-kit \d+\.\d+\.\d+: /);
    expect(r.stdout).toContain("Usage: belief-kit <command> [options]");
    const listed = [...r.stdout.matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map((m) => m[1]);
    expect(listed).toEqual(Object.keys(COMMANDS));
    for (const c of commands) expect(r.stdout.replace(/\s+/g, " ")).toContain(`${c.name} ${c.summary}`);
    expect((await bin(["-h"])).stdout).toBe(r.stdout);
  });
  test("every registry key is its command's name, and every command is documented", () => {
    expect(commands.map((c) => c.name)).toEqual(Object.keys(COMMANDS));
    for (const c of commands) {
      expect(c.summary, c.name).toMatch(/^[a-z].*[^.]$/);
      expect(c.examples.length, c.name).toBeGreaterThan(0);
      for (const o of c.options) expect(o.description.length, `${c.name} --${o.name}`).toBeGreaterThan(0);
    }
  });
  test("no command, an unknown command or an option before the command exit 2 with the list of commands", async () => {
    const none = await bin([]);
    expect(none.status).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toBe(`belief-kit: no command given; commands: ${Object.keys(COMMANDS).join(", ")} (belief-kit --help)\n`);
    const typo = await bin(["analyse", "data/ketamine-trd"]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe(`unknown command "analyse" (did you mean analyze?); commands: ${Object.keys(COMMANDS).join(", ")} (belief-kit --help)\n`);
    const opt = await bin(["--json", "analyze"]);
    expect(opt.status).toBe(2);
    expect(opt.stderr).toMatch(/^unknown option --json before the command; commands: /);
  });
  test("-h and `help <command>` are --help; --help wins over anything else on the line, even a bad option", async () => {
    const [long, short, viaHelp, withBad] = await Promise.all([bin(["analyze", "--help"]), bin(["analyze", "-h"]), bin(["help", "analyze"]), bin(["analyze", "--no-such-option", "--help"])]);
    expect(long.status).toBe(0);
    for (const r of [short, viaHelp, withBad]) {
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(long.stdout);
    }
  });
  test("--version prints the kit's version", async () => {
    const r = await bin(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe.concurrent.each(Object.keys(COMMANDS))("belief-kit %s --help", (name) => {
  test("exits 0 with usage, every option with its default, and an example", async () => {
    const c = commands.find((x) => x.name === name)!;
    const r = await bin([name, "--help"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(helpText(c));
    const flat = r.stdout.replace(/\s+/g, " ");
    expect(r.stdout.startsWith(`belief-kit ${name}: ${c.summary}\n`)).toBe(true);
    expect(r.stdout).toMatch(new RegExp(`^Usage: belief-kit ${name}\\b`, "m"));
    expect(r.stdout).toContain("\nOptions:\n");
    expect(r.stdout).toContain("-h, --help");
    for (const o of c.options) {
      if (o.hidden) {
        expect(r.stdout).not.toContain(`--${o.name} `);
        continue;
      }
      expect(flat).toContain(`--${o.name}${o.value ? ` ${o.value}` : ""} `);
      if (o.default !== undefined) expect(flat).toContain(`(default: ${o.default})`);
    }
    expect(r.stdout).toMatch(/\nExamples?:\n {2}belief-kit /);
    for (const e of c.examples) expect(r.stdout).toContain(`  ${e.command}\n`);
  });
  test("an unknown option exits 2 and lists the known ones (not the internal ones)", async () => {
    const c = commands.find((x) => x.name === name)!;
    const r = await bin([name, "--no-such-option"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const known = c.options.filter((o) => !o.hidden).map((o) => `--${o.name}`);
    expect(r.stderr).toBe(`unknown option --no-such-option; known options: ${known.join(", ") || "none"} (belief-kit ${name} --help)\n`);
  });
});

test("the defaults analyze --help shows are those the analysis uses", async () => {
  const c = commands.find((x) => x.name === "analyze")!;
  const study = await loadStudyFromDir("data/ketamine-trd");
  const d = defaultParams(designOf(study));
  const def = (name: string) => c.options.find((o) => o.name === name)!.default;
  expect(def("model")).toBe(d.model);
  expect(def("boot")).toBe(String(d.boot));
  expect(def("seed")).toBe(String(d.seed));
  expect(def("range")).toBe(d.range.join(","));
  expect(def("min-trials")).toBe(String(d.mintrials));
  expect(def("covariates")).toBe(d.cov.join(","));
  expect(def("lmm-level")).toBe(d.level);
  expect(def("lmm-formula")).toBe("update ~ group * session * valence + age + education + (1 | participant_id)");
  // The bundled study's own: mixed model on the sessions both groups have, mediator over the first two, outcome to the patients' last.
  expect([d.lmm, d.med, d.out]).toEqual([["pre", "post1"], ["pre", "post1"], ["pre", "post3"]]);
});
