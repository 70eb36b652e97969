/** What the figures' captions must say, as the figure exporter and the embeds draw them. */
import { beforeAll, describe, expect, it } from "vitest";
import { figureByName, figureContext, type FigureContext } from "../../src/figures/registry.js";
import { bundled, newDocument } from "../fixtures/figures/helpers.js";

let ctx: FigureContext;
beforeAll(async () => {
  const { study, params, analysis } = await bundled();
  ctx = figureContext(study, params, { document: newDocument(), width: 336, analysis, media: "print" });
});

describe("figure captions", () => {
  it.each(["learning-rates", "lr-means", "participant"])("%s says the fitted rates are not bounded to [0, 1] and what a rate outside means", (name) => {
    const caption = figureByName(name)!.build(ctx).caption;
    expect(caption).toContain("not bounded to [0, 1]: a negative rate means the second estimate moved away from the base rate, a rate above 1 that it overshot the base rate.");
  });
});
