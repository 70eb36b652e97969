import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fmt } from "../../src/components/theme.js";
import { prepareFigures } from "../../src/figures/export.js";
import { readParamsInput, widthMm } from "../../src/cli/figure-options.js";
import { mmToPx, pngInfo } from "../../src/figures/png.js";
import { parseParams, serializeParams } from "../../src/lib/analysis/params.js";
import { analyzeStudy, sessionsByGroup, designOf } from "../../src/lib/analysis/pipeline.js";
import { KIT_VERSION } from "../../src/lib/analysis/report.js";
import { bundled, STUDY_DIR, svgTexts } from "../fixtures/figures/helpers.js";

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

describe("--params", () => {
  it("reads a dashboard URL, a bare query, a query with ?, a URL without query and JSON", () => {
    expect(readParamsInput(DASHBOARD_URL)).toEqual({ input: "model=ee-weighted&med=pre%2Cpost1&out=pre%2Cpost3&boot=1000&seed=7&sel=TRD03%2CTRD05", study: undefined, theme: "dark", participant: undefined });
    expect(readParamsInput("boot=200&seed=3").input).toBe("boot=200&seed=3");
    expect(readParamsInput("?boot=200#top").input).toBe("boot=200");
    expect(readParamsInput("https://example.org/kit/mediation").input).toBe("");
    expect(readParamsInput("http://x/participant?id=TRD04&model=single")).toMatchObject({ input: "model=single", participant: "TRD04" });
    expect(readParamsInput('{"model": "single", "med": ["pre", "post1"], "id": "TRD02"}')).toEqual({
      input: { model: "single", med: ["pre", "post1"] },
      study: undefined,
      theme: undefined,
      participant: "TRD02",
    });
    expect(() => readParamsInput("{model: single}")).toThrow(/not valid JSON/);
    expect(() => readParamsInput("[1]")).not.toThrow(); // a query string "[1]": parseParams reports the unknown key
  });

  it("reads --width as single, double or millimetres", () => {
    expect(widthMm(undefined)).toBe(89);
    expect(widthMm("single")).toBe(89);
    expect(widthMm("double")).toBe(183);
    expect(widthMm("120")).toBe(120);
    expect(widthMm("120mm")).toBe(120);
    expect(() => widthMm("wide")).toThrow(/--width/);
    expect(() => widthMm("5")).toThrow(/--width/);
  });
});

describe("figures from a dashboard URL", () => {
  it("show exactly the numbers of the pipeline run on the URL's parameters", async () => {
    const { study } = await bundled();
    const { input } = readParamsInput(DASHBOARD_URL);
    const { params, errors } = parseParams(input, designOf(study));
    expect(errors).toEqual([]);
    const direct = analyzeStudy(study, params);
    const prepared = prepareFigures({ study, params, names: ["mediation", "bootstrap", "updates", "learning-rates", "participant"], widthMm: 89, dpi: 300, theme: "dark" });
    const byName = Object.fromEntries(prepared.figures.map((f) => [f.name, f]));
    const med = direct.mediation as typeof direct.mediation & { indirect: number; boot: { bca: [number, number]; percentile: [number, number] } };
    const m = byName.mediation.sidecar.numbers as { indirect: number; a: number; b: number; boot: { bca: unknown; percentile: unknown; resamples: number; seed: number } };
    expect(m.indirect).toBe(med.indirect);
    expect(m.boot).toMatchObject({ bca: med.boot.bca, percentile: med.boot.percentile, resamples: 1000, seed: 7 });
    expect(byName.bootstrap.sidecar.numbers).toMatchObject({ indirect: med.indirect, bca: med.boot.bca });
    expect(byName.updates.sidecar.numbers.summary).toEqual(direct.describe.summary);
    expect((byName["learning-rates"].sidecar.numbers as { summary: unknown }).summary).toEqual(direct.fit.summary);
    expect(byName["learning-rates"].sidecar.numbers.model).toBe("ee-weighted");
    expect(byName.participant.sidecar.participant).toBe("TRD03"); // the first selected
    // The numbers drawn in the SVG are the pipeline's.
    const texts = svgTexts(byName.mediation.svg.svg).join(" ");
    expect(texts).toContain(`a·b = ${fmt(med.indirect, 3)}`);
    expect(texts).toContain(`[${fmt(med.boot.bca[0], 3)}, ${fmt(med.boot.bca[1], 3)}]`);
    expect(byName.mediation.sidecar.query).toBe(serializeParams(params, designOf(study)));
    expect(byName.mediation.sidecar.params).toEqual(params);
  });
});

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
