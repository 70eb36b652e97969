import { describe, expect, it } from "vitest";
import { fmt } from "../../src/components/theme.js";
import { prepareFigures } from "../../src/figures/export.js";
import { readParamsInput, widthMm } from "../../src/cli/figure-options.js";
import { parseParams, serializeParams } from "../../src/lib/analysis/params.js";
import { analyzeStudy, designOf } from "../../src/lib/analysis/pipeline.js";
import { bundled, svgTexts } from "../fixtures/figures/helpers.js";

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
