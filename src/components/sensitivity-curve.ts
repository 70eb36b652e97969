/**
 * Sensitivity of the indirect effect to sequential ignorability (Imai, Keele & Yamamoto 2010):
 * the indirect effect as a function of ρ, the correlation between the errors of the mediator and
 * outcome equations.
 */
import * as Plot from "@observablehq/plot";
import { measureDejaVu } from "./text-metrics.js";
import { applyType, captionText, fmt, plotStyle, typeOf, type ChartOptions } from "./theme.js";

export interface SensitivityCurvePoint {
  rho: number;
  indirect: number;
}

export interface SensitivityCurveOptions extends ChartOptions {
  /** ρ at which the indirect effect is zero (null: none). */
  rho_zero: number | null;
  /** The indirect effect estimated under ρ = 0. */
  estimate: number;
  yLabel?: string;
}

export function sensitivityCurve(curve: readonly SensitivityCurvePoint[], options: SensitivityCurveOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 300, document, rho_zero, estimate, note } = options;
  const type = typeOf(options);
  const data = curve.filter((d) => Number.isFinite(d.rho) && Number.isFinite(d.indirect));
  const crossing = rho_zero !== null && Number.isFinite(rho_zero) ? [rho_zero] : [];
  const caption =
    "The line is the indirect effect a·b that would hold if the errors of the mediator and outcome equations were correlated by ρ (Imai, Keele & Yamamoto 2010); the estimate assumes ρ = 0 (dot). " +
    (crossing.length
      ? `The indirect effect is zero at ρ = ${fmt(crossing[0], 2)} (dashed line): an unmeasured confounder would have to induce a correlation that large to explain the effect away.`
      : "The indirect effect does not cross zero for any ρ in this range.");
  // Where the long x label (anchored at the right, running left) would run off the chart, shorter
  // labels: a phone-width card at 12 px; a single-column figure in the print type keeps them.
  const longX = "ρ, correlation between mediator and outcome errors →";
  const narrow = measureDejaVu(longX, type.label) > width - 24;
  return applyType(
    Plot.plot({
      document,
      width,
      height,
      title: "Sensitivity of the indirect effect to unmeasured confounding",
      caption: captionText(caption, note),
      style: plotStyle(type),
      marginBottom: 40,
      x: { domain: [-1, 1], label: narrow ? "ρ (error correlation)" : "ρ, correlation between mediator and outcome errors", grid: true, ticks: narrow ? 5 : undefined },
      y: { label: options.yLabel ?? (narrow ? "Indirect effect a·b (points)" : "Indirect effect a·b (points of the clinical scale)"), grid: true },
      marks: [
        Plot.ruleY([0]),
        Plot.ruleX(crossing, { strokeDasharray: "5 3", stroke: "#D55E00", strokeWidth: 1.5, ariaDescription: "zero crossing" }),
        Plot.text(crossing, { x: (d: number) => d, frameAnchor: "top", dy: 4, dx: 4, textAnchor: "start", text: (d: number) => `ρ = ${fmt(d, 2)}`, fill: "currentColor", ariaDescription: "zero crossing label" }),
        Plot.line(data, { x: "rho", y: "indirect", stroke: "currentColor", strokeWidth: 2, ariaDescription: "sensitivity curve" }),
        Plot.dot([{ rho: 0, indirect: estimate }], { x: "rho", y: "indirect", r: 4.5, fill: "#0072B2", title: () => `estimate at ρ = 0: ${fmt(estimate, 3)}`, ariaDescription: "estimate" }),
      ],
    }),
    type,
  );
}
