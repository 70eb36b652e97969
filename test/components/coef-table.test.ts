import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { coefTable, publishedText, type CoefRow } from "../../src/components/coef-table.js";

const { document } = new JSDOM("").window;

const rows: CoefRow[] = [
  { term: "(Intercept)", estimate: 10.12345, se: 1.2, df: 40.25, t: 8.43, p: 1e-6, ci: [7.6, 12.6] },
  { term: "valence", estimate: -2.3456, se: 0.9, df: 120.54, t: -2.61, p: 0.0113, ci: [-4.1, -0.5] },
  { term: "group:session:valence", estimate: 1.5, se: 0.7, df: null, t: 2.14, p: null, ci: null },
];

const cellTexts = (tr: Element) => [...tr.querySelectorAll("td")].map((td) => td.textContent);

describe("coefTable", () => {
  it("draws one body row per term with formatted numbers", () => {
    const table = coefTable(rows, { document });
    expect(table.tagName).toBe("TABLE");
    const body = table.querySelectorAll("tbody tr");
    expect(body.length).toBe(3);
    expect(cellTexts(body[0])).toEqual(["(Intercept)", "10.123", "1.200", "40.3", "8.43", "< .001", "[7.600, 12.600]"]);
    expect(cellTexts(body[1])).toEqual(["valence", "−2.346", "0.900", "120.5", "−2.61", ".011", "[−4.100, −0.500]"]);
  });

  it("shows a dash for undefined df, p and CI", () => {
    const table = coefTable(rows, { document });
    const last = table.querySelector('tr[data-term="group:session:valence"]')!;
    expect(cellTexts(last)).toEqual(["group:session:valence", "1.500", "0.700", "–", "2.14", "–", "–"]);
  });

  it("gives the highlighted term the highlight class", () => {
    const table = coefTable(rows, { document, highlight: "group:session:valence" });
    const highlighted = table.querySelectorAll("tr.highlight");
    expect(highlighted.length).toBe(1);
    expect(highlighted[0].getAttribute("data-term")).toBe("group:session:valence");
  });

  it("adds a published column only when published values are given", () => {
    expect([...coefTable(rows, { document }).querySelectorAll("th")].map((th) => th.textContent)).not.toContain("Published");
    const table = coefTable(rows, { document, published: { valence: { estimate: -2.1, t: -2.4, df: 110, p: 0.02 } } });
    expect([...table.querySelectorAll("th")].map((th) => th.textContent)).toContain("Published");
    expect(cellTexts(table.querySelector('tr[data-term="valence"]')!).at(-1)).toBe("β = −2.100, t(110.0) = −2.40, p = .020");
    expect(cellTexts(table.querySelector('tr[data-term="(Intercept)"]')!).at(-1)).toBe("");
  });

  it("writes the caption and the note", () => {
    const table = coefTable(rows, { document, caption: "Fixed effects of the mixed model.", note: "Synthetic cohort." });
    expect(table.querySelector("caption")?.textContent).toBe("Fixed effects of the mixed model. Synthetic cohort.");
  });

  it("formats partial published values", () => {
    expect(publishedText({ p: 0.0004 })).toBe("p < .001");
    expect(publishedText({ t: 2, df: 30 })).toBe("t(30.0) = 2.00");
    expect(publishedText(undefined)).toBe("");
  });
});
