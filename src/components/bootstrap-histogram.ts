/**
 * Bootstrap distribution of the indirect effect: histogram of the replicates (undefined ones
 * left out) with rules for the point estimate, zero and the percentile and BCa intervals.
 */
import * as Plot from "@observablehq/plot";
import { INTERVAL_COLORS, applyType, captionText, fmt, plotStyle, typeOf, type ChartOptions } from "./theme.js";

export interface BootstrapHistogramOptions extends ChartOptions {
  estimate: number;
  percentile?: [number, number] | null;
  bca?: [number, number] | null;
  /** Confidence level of the intervals (default 0.95), for the labels. */
  level?: number;
  /** Number of bins (default 40). */
  bins?: number;
  xLabel?: string;
  title?: string;
}

/** The finite replicates (NaN and ±Infinity left out). */
export function finiteReplicates(replicates: ArrayLike<number>): number[] {
  return Array.from(replicates).filter(Number.isFinite);
}

export function bootstrapHistogram(replicates: ArrayLike<number>, options: BootstrapHistogramOptions): SVGSVGElement | HTMLElement {
  const { width = 640, height = 300, document, estimate, percentile = null, bca = null, level = 0.95, bins = 40, note } = options;
  const type = typeOf(options);
  const values = finiteReplicates(replicates);
  const pct = `${Math.round(level * 100)}%`;
  const estimateLabel = `Estimate (${fmt(estimate, 3)})`;
  const drawn = (ci: [number, number] | null): ci is [number, number] => ci !== null && ci.some(Number.isFinite);
  const pLabel = drawn(percentile) ? `${pct} percentile CI [${fmt(percentile[0], 3)}, ${fmt(percentile[1], 3)}]` : null;
  const bLabel = drawn(bca) ? `${pct} BCa CI [${fmt(bca[0], 3)}, ${fmt(bca[1], 3)}]` : null;
  // The legend lists the rules drawn: the estimate (if finite) and the intervals that exist.
  const keys = [Number.isFinite(estimate) ? estimateLabel : null, pLabel, bLabel].filter((k): k is string => k !== null);
  const colors: Record<string, string> = { [estimateLabel]: "currentColor", ...(pLabel ? { [pLabel]: INTERVAL_COLORS.percentile } : {}), ...(bLabel ? { [bLabel]: INTERVAL_COLORS.bca } : {}) };
  const rule = (xs: readonly number[], key: string | null, description: string, strokeDasharray?: string) =>
    key ? Plot.ruleX(xs.filter(Number.isFinite), { stroke: () => key, strokeWidth: 2, strokeDasharray, ariaDescription: description }) : null;
  const undefinedCount = replicates.length - values.length;
  const caption = `Each bar counts the bootstrap resamples whose indirect effect a·b falls in its bin: ${replicates.length.toLocaleString("en-US")} resamples${
    undefinedCount ? ` (${undefinedCount.toLocaleString("en-US")} with an undefined estimate left out)` : ""
  }. Vertical lines: the point estimate, zero (dotted) and the ${pct} confidence intervals (percentile dashed, BCa solid).`;
  return applyType(
    Plot.plot({
      document,
      width,
      height,
      title: options.title ?? "Bootstrap distribution of the indirect effect",
      caption: captionText(caption, note),
      style: plotStyle(type),
      marginBottom: 40,
      x: { label: options.xLabel ?? "Indirect effect a·b (points of the clinical scale)" },
      y: { label: "Resamples (count)", grid: true },
      color: { domain: keys, range: keys.map((k) => colors[k]), legend: true },
      marks: [
        Plot.rectY(
          values,
          Plot.binX<Plot.RectYOptions>(
            { y: "count", title: (bin: number[]) => `${bin.length}` },
            { x: (d: number) => d, thresholds: bins, fill: "currentColor", fillOpacity: 0.3, inset: 0.5, ariaDescription: "histogram" },
          ),
        ),
        Plot.ruleY([0]),
        Plot.ruleX([0], { strokeDasharray: "2 3", strokeOpacity: 0.7, ariaDescription: "zero" }),
        rule(percentile ?? [], pLabel, "percentile interval", "6 3"),
        rule(bca ?? [], bLabel, "BCa interval"),
        rule([estimate], estimateLabel, "estimate"),
      ],
    }),
    type,
  );
}
