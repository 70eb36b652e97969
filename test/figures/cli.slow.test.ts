/** `npm run figures` run as a process (split from cli.test.ts, whose in-process cases stay in `npm test`): in `npm run test:slow`. */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mmToPx, pngInfo } from "../../src/figures/png.js";
import { KIT_VERSION } from "../../src/lib/analysis/report.js";
import { STUDY_DIR } from "../fixtures/figures/helpers.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "figures-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The same, asynchronously (the error cases run side by side). */
function figuresAsync(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "src/cli/figures.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 }, (error, _stdout, stderr) =>
      resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
    );
  });
}

function figures(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "src/cli/figures.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A URL as the mediation page writes it (model, sessions, bootstrap and a selection changed). */
const DASHBOARD_URL = "http://127.0.0.1:3000/mediation?model=ee-weighted&med=pre,post1&out=pre,post3&boot=1000&seed=7&sel=TRD03,TRD05&theme=dark";

describe("npm run figures", () => {
  it("writes SVG, PNG and the sidecar JSON of every figure asked for, from a dashboard URL", () => {
    const out = join(tmp, "url");
    const r = figures([STUDY_DIR, "--out", out, "--format", "svg,png", "--width", "double", "--dpi", "150", "--params", DASHBOARD_URL, "--figures", "mediation,bootstrap"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(readdirSync(out).sort()).toEqual(["bootstrap.json", "bootstrap.png", "bootstrap.svg", "mediation.json", "mediation.png", "mediation.svg"]);
    expect(r.stderr).toMatch(/wrote .*mediation\.svg/);
    const side = JSON.parse(readFileSync(join(out, "mediation.json"), "utf8"));
    expect(side).toMatchObject({
      figure: "mediation",
      study: { id: "ketamine-trd", synthetic: true },
      kit_version: KIT_VERSION,
      format: { width_mm: 183, dpi: 150, theme: "dark" }, // the URL's theme
      files: { svg: "mediation.svg", png: "mediation.png" },
    });
    expect(side.caption).toMatch(/Synthetic cohort/);
    expect(side.query).toBe("model=ee-weighted&boot=1000&seed=7&sel=TRD03,TRD05");
    expect(side.reproduce).toContain("--params 'model=ee-weighted&boot=1000&seed=7&sel=TRD03,TRD05'");
    const png = pngInfo(new Uint8Array(readFileSync(join(out, "mediation.png"))));
    expect(png).toEqual({ width: mmToPx(183, 150), height: side.format.png_px.height, dpi: 150 });
    expect(readFileSync(join(out, "mediation.svg"), "utf8")).toContain('width="183mm"');
  }, 60000);

  it("renders the default set with the default options (skipping nothing with the default parameters)", () => {
    const out = join(tmp, "defaults");
    const r = figures(["--out", out, "--format", "svg"]);
    expect(r.status, r.stderr).toBe(0);
    const names = readdirSync(out).filter((f) => f.endsWith(".svg")).map((f) => f.replace(/\.svg$/, "")).sort();
    expect(names).toEqual(["bootstrap", "learning-rates", "lr-means", "mediation", "model-comparison", "participant", "sensitivity", "updates"]);
    expect(r.stderr).not.toMatch(/skipped/);
    const side = JSON.parse(readFileSync(join(out, "participant.json"), "utf8"));
    expect(side).toMatchObject({ query: "", participant: "TRD01", format: { width_mm: 89, dpi: 300, theme: "light" } });
  }, 60000);

  it("exits 2 with the parameter messages, writing nothing, when the parameters are invalid", () => {
    const out = join(tmp, "bad-params");
    const r = figures(["--out", out, "--params", "?model=quadratic&med=pre&boot=x"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/model: expected one of single, valence/);
    expect(r.stderr).toMatch(/med: expected two different sessions/);
    expect(r.stderr).toMatch(/boot: expected a whole number/);
    expect(existsSync(out)).toBe(false);
  }, 60000);

  it("exits 2 on an unknown figure, format, width, theme or participant, and when a figure asked for cannot be drawn", async () => {
    const out = join(tmp, "bad");
    const cases: [string[], RegExp][] = [
      [["--figures", "updates,pie"], /unknown figure "pie"; known: updates, learning-rates/],
      [["--format", "svg,gif"], /--format/],
      [["--width", "huge"], /--width/],
      [["--theme", "sepia"], /--theme/],
      [["--participant", "ZZ9"], /--participant: "ZZ9" is not a participant/],
      [["--figures", "bootstrap", "--params", "boot=0"], /bootstrap: the bootstrap is off/],
      [["--params", '{"model": "single"'], /not valid JSON/],
    ];
    const results = await Promise.all(cases.map(([args]) => figuresAsync(["--out", out, "--format", "svg", ...args])));
    results.forEach((r, i) => {
      expect(r.status, cases[i][0].join(" ")).toBe(2);
      expect(r.stderr).toMatch(cases[i][1]);
    });
    expect(existsSync(out)).toBe(false);
  }, 120000);
});
