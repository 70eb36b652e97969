import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { GROUP_COLORS, VALENCE_COLORS, captionText, fmt, formatP, groupColorRange, plotSvg, pText } from "../../src/components/theme.js";

const { document } = new JSDOM("").window;

describe("theme", () => {
  it("formats numbers with a true minus sign and no negative zero", () => {
    expect(fmt(-0.12345, 3)).toBe("−0.123");
    expect(fmt(1.5, 1)).toBe("1.5");
    expect(fmt(-0.0001, 2)).toBe("0.00");
    expect(fmt(null)).toBe("–");
    expect(fmt(NaN)).toBe("–");
  });

  it("formats p values APA style", () => {
    expect(formatP(0.0002)).toBe("< .001");
    expect(formatP(0.0123)).toBe(".012");
    expect(formatP(1)).toBe("1.000");
    expect(pText(0.0002)).toBe("p < .001");
    expect(pText(0.05)).toBe("p = .050");
  });

  it("gives groups Okabe–Ito colours distinct from the valence colours", () => {
    const range = groupColorRange(["Healthy", "Ketamine", "Other"]);
    expect(range.slice(0, 2)).toEqual([GROUP_COLORS.reference, GROUP_COLORS.treatment]);
    expect(range).toHaveLength(3);
    for (const c of range) expect(Object.values(VALENCE_COLORS)).not.toContain(c);
  });

  it("appends the note to a caption", () => {
    expect(captionText("Each dot is one participant.", "Synthetic.")).toBe("Each dot is one participant. Synthetic.");
    expect(captionText("Each dot is one participant.")).toBe("Each dot is one participant.");
  });

  it("finds the plot svg after the legends of a figure", () => {
    const figure = document.createElement("figure");
    const legend = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const plot = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    figure.append(document.createElement("h2"), legend, plot, document.createElement("figcaption"));
    expect(plotSvg(figure)).toBe(plot);
    expect(plotSvg(plot)).toBe(plot);
  });
});
