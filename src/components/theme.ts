/** Shared chart conventions: colour-blind-safe colours (Okabe & Ito 2008) and labels. */
export const VALENCE_COLORS = { good: "#0072B2", bad: "#D55E00" } as const;
export const VALENCE_LABELS = { good: "Good news", bad: "Bad news" } as const;
export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif";

export interface ChartOptions {
  width?: number;
  height?: number;
  /** A document to draw into (jsdom on the server); defaults to the global one. */
  document?: Document;
  /** Words appended to the caption, e.g. that the cohort is synthetic. */
  note?: string;
}
