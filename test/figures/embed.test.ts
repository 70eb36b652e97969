import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { embedFigure, prepareEmbedding } from "../../src/embed/core.js";
import { FIGURE_NAMES } from "../../src/figures/registry.js";
import { parseParams } from "../../src/lib/analysis/params.js";
import { analyzeStudy, sessionsByGroup, designOf } from "../../src/lib/analysis/pipeline.js";
import type { StudyDocument } from "../../src/lib/study/document.js";
import { axisLabels, bundled, KNOWN_LABELS, newDocument, studyDocument } from "../fixtures/figures/helpers.js";

let doc: StudyDocument;
beforeAll(async () => {
  doc = studyDocument((await bundled()).study);
});

const SRC = new URL("../../src/embed/", import.meta.url).pathname;

describe("embedding a live chart", () => {
  it("draws every figure from the study document and a dashboard query", () => {
    const e = prepareEmbedding(doc, { params: "https://site/mediation?med=pre,post1&boot=500&sel=TRD03", document: newDocument() });
    expect(e.errors).toEqual([]);
    expect(e.params).toMatchObject({ boot: 500, sel: ["TRD03"] });
    for (const name of FIGURE_NAMES) {
      const built = e.render(name, 640);
      const labels = axisLabels(built.element);
      for (const label of KNOWN_LABELS[name]) expect(built.element.textContent + labels.join(" ")).toContain(label);
    }
  });

  it("computes the same numbers as the pipeline on the same parameters", () => {
    const query = "?model=scaling-asymmetry&out=pre,post1&boot=300&seed=4";
    const e = prepareEmbedding(doc, { params: query, document: newDocument() });
    const study = e.study;
    const direct = analyzeStudy(study, parseParams(query, designOf(study)).params);
    expect(e.render("mediation").numbers.indirect).toBe((direct.mediation as { indirect: number }).indirect);
    expect(e.render("bootstrap").numbers.bca).toEqual((direct.mediation as unknown as { boot: { bca: unknown } }).boot.bca);
  });

  it("reads the participant from id=, reports unreadable parameters and unknown figures", () => {
    const e = prepareEmbedding(doc, { params: "id=TRD09&model=nope&downloads=1", document: newDocument() });
    expect(e.participant).toBe("TRD09");
    expect(e.errors).toEqual([expect.stringMatching(/^model: expected one of/)]);
    expect(e.render("participant").numbers.participant_id).toBe("TRD09");
    expect(() => e.render("pie")).toThrow(/unknown figure "pie"/);
    expect(() => embedFigure(doc, "updates", { params: { model: "nope" }, document: newDocument() })).toThrow(/invalid parameters: model/);
    const chart = embedFigure(doc, "updates", { params: { model: "single" }, width: 500, document: newDocument() });
    expect(chart.querySelector(":scope > svg")?.getAttribute("width")).toBe("500");
  });

  it("has an iframe page per figure of each study, without sidebar, header, footer or table of contents", () => {
    const md = readFileSync(new URL("../../src/studies/[study]/embed/[figure].md", import.meta.url).pathname.replace(/%5B/g, "[").replace(/%5D/g, "]"), "utf8");
    const front = /^---\n([\s\S]*?)\n---/.exec(md)![1];
    for (const key of ["sidebar", "header", "footer", "toc", "pager"]) expect(front).toMatch(new RegExp(`^${key}: false$`, "m"));
    expect(md).toContain("embedPage(doc, observable.params.figure)");
    expect(md).toContain('FileAttachment("../study.json")');
    // The build writes every figure of every belief-updating study, and the old addresses.
    const config = readFileSync(new URL("../../observablehq.config.ts", import.meta.url), "utf8");
    expect(config).toContain("/studies/${s.id}/embed/${f.name}");
    expect(config).toContain("/embed/${f.name}");
    for (const name of FIGURE_NAMES) expect(FIGURE_NAMES).toContain(name);
  });

  it("lists the same figures in the exported module as the registry", () => {
    const src = readFileSync(`${SRC}figures.ts`, "utf8");
    const names = JSON.parse(/export const FIGURE_NAMES = (\[[^\]]*\])/.exec(src)![1]);
    expect(names).toEqual([...FIGURE_NAMES]);
  });
});
