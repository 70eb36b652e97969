/**
 * `npm run figures` on the bundled crossover and parallel studies: the default figures in every
 * format with their sidecars, --figures all, --list, and the exit-2 cases (figures of the other kind
 * of study, --params, --participant). PDF only with Chromium (skipped, with a message, without it).
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chromiumAvailable } from "../../src/figures/chromium.js";
import { mmToPx, pngInfo } from "../../src/figures/png.js";
import { KIT_VERSION } from "../../src/lib/analysis/report.js";
import { DESIGN_KNOWN_LABELS, svgTexts } from "../fixtures/figures/helpers.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs");
const CLI = join(ROOT, "src/cli/figures.ts");
const tmp = mkdtempSync(join(tmpdir(), "design-figures-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const HAVE_CHROMIUM = chromiumAvailable();
if (!HAVE_CHROMIUM) console.warn("test/figures/designs-cli.test.ts: no Chromium: the command is run without pdf in --format");

const WILLIAMS = "data/williams2018-naltrexone";
const MURROUGH = "data/murrough2013-midazolam";

function figures(args: string[]) {
  const r = spawnSync(process.execPath, [TSX, CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function figuresAsync(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSX, CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 }, (error, _stdout, stderr) =>
      resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
    );
  });
}

describe("npm run figures on a crossover or parallel study", () => {
  it("renders the crossover study's default figures in every format, with sidecars (placebo 7/12)", () => {
    const out = join(tmp, "williams");
    const formats = HAVE_CHROMIUM ? ["svg", "png", "pdf"] : ["svg", "png"];
    const r = figures([WILLIAMS, "--out", out, "--dpi", "150", ...(HAVE_CHROMIUM ? [] : ["--format", "svg,png"])]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(readdirSync(out).sort()).toEqual(["response", "trajectories"].flatMap((n) => [...formats, "json"].map((f) => `${n}.${f}`)).sort());
    expect(r.stderr).toMatch(/2 figures \(.* \+ json, 89 mm, 150 dpi, light\)/);
    const side = JSON.parse(readFileSync(join(out, "response.json"), "utf8"));
    expect(side).toMatchObject({
      figure: "response",
      design: "crossover",
      study: { id: "williams2018-naltrexone", synthetic: true },
      kit_version: KIT_VERSION,
      format: { width_mm: 89, dpi: 150, theme: "light" },
      reproduce: `npx belief-kit figures ${WILLIAMS} --figures response --width 89 --dpi 150 --theme light`,
    });
    expect(side).not.toHaveProperty("params");
    expect(side.caption).toMatch(/Synthetic cohort: simulated data, not patient data\.$/);
    const placebo = side.numbers.rows.find((row: { condition: string }) => row.condition === "placebo");
    expect(placebo).toMatchObject({ responders: 7, n: 12 });
    expect(side.numbers.test).toMatchObject({ b: 6, c: 0 });
    expect(side.numbers.test.odds_ratio).toBeNull(); // infinite (c = 0): JSON writes null, as npm run analyze -- --json
    for (const f of formats) expect(side.files[f]).toBe(`response.${f}`);
    const png = pngInfo(new Uint8Array(readFileSync(join(out, "trajectories.png"))));
    const traj = JSON.parse(readFileSync(join(out, "trajectories.json"), "utf8"));
    expect(png).toEqual({ width: mmToPx(89, 150), height: traj.format.png_px.height, dpi: 150 });
    expect(traj.numbers.scales.map((s: { scale: { name: string } }) => s.scale.name)).toEqual(["HAM-D-17", "HAM-D-6"]);
    const texts = svgTexts(readFileSync(join(out, "trajectories.svg"), "utf8")).join("\n");
    for (const label of DESIGN_KNOWN_LABELS["williams2018-naltrexone"].trajectories) expect(texts).toContain(label);
    if (HAVE_CHROMIUM) expect(readFileSync(join(out, "response.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
  }, 60000);

  it("renders every figure of the parallel study with --figures all, in the dark theme at double width", () => {
    const out = join(tmp, "murrough");
    const r = figures([MURROUGH, "--out", out, "--format", "svg", "--figures", "all", "--width", "double", "--theme", "dark"]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["response.json", "response.svg", "trajectories-madrs.json", "trajectories-madrs.svg", "trajectories.json", "trajectories.svg"]);
    const side = JSON.parse(readFileSync(join(out, "response.json"), "utf8"));
    expect(side).toMatchObject({ design: "parallel", format: { width_mm: 183, theme: "dark" } });
    expect(side.numbers.rows.map((row: { condition: string; responders: number; n: number }) => `${row.condition} ${row.responders}/${row.n}`)).toEqual(["midazolam 6/25", "ketamine 27/47"]);
    expect(side.numbers.test.test).toMatch(/Fisher/);
    expect(readFileSync(join(out, "trajectories-madrs.svg"), "utf8")).toContain('width="183mm"');
  }, 60000);

  it("takes a URL of the dashboard without analysis parameters (its theme), and --width", () => {
    const out = join(tmp, "url");
    const r = figures([WILLIAMS, "--out", out, "--format", "svg", "--figures", "trajectories-hamd-6", "--params", "http://127.0.0.1:3000/crossover?study=williams2018-naltrexone&theme=dark"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, "trajectories-hamd-6.json"), "utf8")).format.theme).toBe("dark");
  }, 60000);

  it("--list shows the figures per design, and those of one study", () => {
    const all = figures(["--list"]);
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^Belief-updating studies.*\nupdates {12}Mean belief update/);
    expect(all.stdout).toMatch(/Crossover studies[^\n]*:\ntrajectories +Every scale's scores[^\n]*condition[^\n]*\nresponse +Response rate by condition[^\n]*McNemar[^\n]*\ntrajectories-<scale> +One scale's/);
    expect(all.stdout).toMatch(/Parallel studies[^\n]*:\ntrajectories +[^\n]*arm[^\n]*\nresponse +Response rate by arm[^\n]*Fisher/);
    const one = figures(["--list", WILLIAMS]);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout.split("\n").filter(Boolean).map((l) => l.split(/\s+/)[0])).toEqual(["trajectories", "response", "trajectories-hamd-17", "trajectories-hamd-6"]);
    expect(one.stdout).toMatch(/trajectories-hamd-6 +HAM-D-6 across time points, by condition \(only with --figures\)/);
    const belief = figures(["--list", "data/ketamine-trd"]);
    expect(belief.stdout.split("\n")[0]).toMatch(/^updates {12}Mean belief update/);
  }, 60000);

  it("exits 2, writing nothing, on figures of the other kind of study, --params, --participant and unknown figures", async () => {
    const out = join(tmp, "bad");
    const list = "trajectories, response, trajectories-hamd-17, trajectories-hamd-6";
    const cases: [string[], RegExp][] = [
      [[WILLIAMS, "--figures", "mediation,updates"], new RegExp(`"mediation", "updates" are figures of belief-updating studies; ${WILLIAMS} is a crossover study, whose figures are: ${list}$`, "m")],
      [[WILLIAMS, "--figures", "trajectories-madrs"], new RegExp(`unknown figure "trajectories-madrs"; ${WILLIAMS} is a crossover study, whose figures are: ${list}`)],
      [[MURROUGH, "--figures", "bootstrap,pie"], /"bootstrap" is a figure of belief-updating studies \(and "pie" of no study\); data\/murrough2013-midazolam is a parallel study, whose figures are: trajectories, response, trajectories-madrs/],
      [["data/ketamine-trd", "--figures", "response,trajectories"], /"response", "trajectories" are figures of crossover and parallel studies; data\/ketamine-trd is a belief-updating study, whose figures are: updates, learning-rates/],
      [[WILLIAMS, "--params", "boot=2000&seed=3"], /--params: boot, seed: the dashboard's analysis parameters apply to belief-updating studies; data\/williams2018-naltrexone is a crossover study/],
      [[WILLIAMS, "--params", '{"model": "single"}'], /--params: model: the dashboard's analysis parameters apply to belief-updating studies/],
      [[WILLIAMS, "--participant", "W01"], /--participant: the participant panel is a figure of belief-updating studies; data\/williams2018-naltrexone is a crossover study/],
      [[MURROUGH, "--params", "?study=williams2018-naltrexone"], /--params names study "williams2018-naltrexone" but data\/murrough2013-midazolam is study "murrough2013-midazolam"/],
      [[WILLIAMS, "--width", "huge"], /--width/],
    ];
    const results = await Promise.all(cases.map(([args]) => figuresAsync([...args, "--out", out, "--format", "svg"])));
    results.forEach((r, i) => {
      expect(r.status, cases[i][0].join(" ")).toBe(2);
      expect(r.stderr).toMatch(cases[i][1]);
    });
    expect(existsSync(out)).toBe(false);
  }, 120000);
});
