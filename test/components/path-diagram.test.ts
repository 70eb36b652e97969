import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { pathDiagram, type PathEffects } from "../../src/components/path-diagram.js";
import { PRINT_TYPE, SCREEN_TYPE, fmt } from "../../src/components/theme.js";
import { measureDejaVu } from "../../src/components/text-metrics.js";

const { document } = new JSDOM("").window;
const effects: PathEffects = {
  a: 0.1234,
  b: -8.2,
  c: -10.5,
  c_prime: -9.4879,
  indirect: -1.01186,
  ci: [-2.5, 0.1],
  ciLabel: "95% BCa CI",
  p: { a: 0.03, b: 0.0004 },
  labels: { x: "Session (pre → post1)", m: "Δ learning-rate asymmetry", y: "Δ MADRS" },
};

describe("pathDiagram", () => {
  it("draws the three boxes X, M, Y with their labels", () => {
    const figure = pathDiagram(effects, { document });
    const svg = figure.querySelector("svg")!;
    expect(svg.querySelectorAll("[data-node] rect").length).toBe(3);
    expect(svg.querySelector('[data-node="x"]')!.textContent).toBe("Session (pre → post1)");
    expect(svg.querySelector('[data-node="m"]')!.textContent).toBe("Δ learning-rate asymmetry");
    expect(svg.querySelector('[data-node="y"]')!.textContent).toBe("Δ MADRS");
  });

  it("puts a long interval on a line (or two) of its own rather than past the edges, and keeps a short one on the indirect effect's line", () => {
    const long = { ...effects, ciLabel: "95% BCa bootstrap CI (5000 resamples)" };
    const lineOf = (figure: Element, metric: string) => figure.querySelector(`[data-metric="${metric}"]`)!.closest("text")!;
    const narrow = pathDiagram(long, { document, width: 300 });
    const svg = narrow.querySelector("svg")!;
    expect(Number(svg.getAttribute("width"))).toBe(300);
    expect(lineOf(narrow, "ci")).not.toBe(lineOf(narrow, "indirect"));
    expect(lineOf(narrow, "ci").textContent).toBe("[−2.500, 0.100]");
    expect([...svg.querySelectorAll(":scope > text")].map((t) => t.textContent)).toContain("95% BCa bootstrap CI (5000 resamples)");
    const medium = pathDiagram(long, { document, width: 420 });
    expect(lineOf(medium, "ci")).not.toBe(lineOf(medium, "indirect"));
    expect(lineOf(medium, "ci").textContent).toBe("95% BCa bootstrap CI (5000 resamples) [−2.500, 0.100]");
    const wide = pathDiagram(long, { document, width: 900 });
    expect(lineOf(wide, "ci")).toBe(lineOf(wide, "indirect"));
    expect(Number(wide.querySelector("svg")!.getAttribute("height"))).toBeLessThan(Number(svg.getAttribute("height")));
  });

  it.each([
    ["screen", SCREEN_TYPE, 300],
    ["print, single column", PRINT_TYPE, 320],
    ["print, half of double column", PRINT_TYPE, 326],
  ] as const)("%s: drawn at the width asked for (never wider), every text inside it and the boxes apart", (_, type, width) => {
    const figure = pathDiagram({ ...effects, ciLabel: "95% BCa bootstrap CI (5000 resamples)" }, { document, width, type });
    const svg = figure.querySelector("svg")!;
    expect(Number(svg.getAttribute("width"))).toBe(width);
    const size = (t: Element) => Number(t.getAttribute("font-size") ?? svg.getAttribute("font-size"));
    // Width of a text: its bold parts in bold.
    const widthOf = (t: Element) => [...t.childNodes].reduce((w, n) => w + measureDejaVu(n.textContent!, size(t), n.nodeType === 1 && (n as Element).getAttribute("font-weight") === "bold"), 0);
    for (const t of svg.querySelectorAll("text")) {
      const x = Number(t.getAttribute("x"));
      const w = widthOf(t);
      const anchor = t.getAttribute("text-anchor");
      const [x0, x1] = anchor === "end" ? [x - w, x] : anchor === "start" ? [x, x + w] : [x - w / 2, x + w / 2];
      expect([t.textContent, x0]).toEqual([t.textContent, expect.toSatisfy((v: number) => v >= -0.5)]);
      expect([t.textContent, x1]).toEqual([t.textContent, expect.toSatisfy((v: number) => v <= width + 0.5)]);
    }
    const rect = (role: string) => svg.querySelector(`[data-node="${role}"] rect`)!;
    const right = (r: Element) => Number(r.getAttribute("x")) + Number(r.getAttribute("width"));
    expect(Number(rect("y").getAttribute("x")) - right(rect("x"))).toBeGreaterThanOrEqual(3 * type.label); // room for the c′ arrow
    for (const role of ["x", "m", "y"]) expect(measureDejaVu(rect(role).parentElement!.textContent!, type.label)).toBeLessThan(Number(rect(role).getAttribute("width")));
    expect(Number(svg.querySelector('[data-node="m"] text')!.closest("svg")!.getAttribute("font-size"))).toBeCloseTo(type.label, 2);
  });

  it("shows the formatted indirect effect in [data-metric=indirect]", () => {
    const figure = pathDiagram(effects, { document });
    expect(figure.querySelector('[data-metric="indirect"]')!.textContent).toBe(fmt(effects.indirect, 3));
    expect(figure.querySelector('[data-metric="indirect"]')!.textContent).toBe("−1.012");
    expect(figure.querySelector('[data-metric="ci"]')!.textContent).toBe("[−2.500, 0.100]");
    expect(figure.querySelector('[data-metric="ci"]')!.parentElement!.textContent).toContain("95% BCa CI");
  });

  it("labels the arrows a, b and c′, with p values where given, and writes c below", () => {
    const figure = pathDiagram(effects, { document });
    expect(figure.querySelector('[data-metric="a"]')!.textContent).toBe("0.123");
    expect(figure.querySelector('[data-metric="b"]')!.textContent).toBe("−8.200");
    expect(figure.querySelector('[data-metric="c_prime"]')!.textContent).toBe("−9.488");
    expect(figure.querySelector('[data-metric="c"]')!.textContent).toBe("−10.500");
    expect(figure.querySelector('[data-path="a"]')!.textContent).toContain("p = .030");
    expect(figure.querySelector('[data-path="b"]')!.textContent).toContain("p < .001");
    expect(figure.querySelector('[data-path="c_prime"]')!.textContent).not.toContain("p ");
    expect(figure.querySelectorAll("[data-path] line").length).toBe(3);
    expect(figure.querySelectorAll("[data-path] polygon").length).toBe(3);
  });

  it("says when the CI is not available", () => {
    const figure = pathDiagram({ ...effects, ci: null }, { document });
    expect(figure.querySelector('[data-metric="ci"]')).toBeNull();
    expect(figure.querySelector('[data-metric="indirect"]')!.parentElement!.textContent).toMatch(/not available/);
  });

  it("has a title and a caption explaining the within-subject design", () => {
    const figure = pathDiagram(effects, { document, note: "Synthetic cohort." });
    expect(figure.querySelector("h2")?.textContent).toMatch(/Mediation/);
    expect(figure.querySelector("figcaption")?.textContent).toMatch(/X is the session contrast.*Synthetic cohort\.$/);
    expect(figure.querySelector("svg")!.getAttribute("fill")).toBe("currentColor");
  });
});
