/**
 * Sentences as lists of parts, so that one sentence renders as plain text (tests, the text report) and
 * as HTML (every string escaped; statistical symbols in italics, formulas as code) from one source.
 * Pure: no DOM.
 */
export type Part = string | { i: string } | { sub: string } | { code: string };
export type Sentence = Part[];

export interface Paragraph {
  /** Stable id: "methods-scoring", "results-lmm", … */
  id: string;
  /** Heading of the paragraph (shown as a run-in heading). */
  title: string;
  sentences: Sentence[];
}

/** Escape a string for HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Flattens nested part lists (a sentence is written as a mix of strings, parts and part lists). */
export function sentence(...items: (Part | readonly Part[] | null | undefined | false)[]): Sentence {
  const out: Part[] = [];
  for (const item of items) {
    if (item === null || item === undefined || item === false) continue;
    if (Array.isArray(item)) out.push(...(item as Part[]));
    else out.push(item as Part);
  }
  return out;
}

export function partText(p: Part): string {
  if (typeof p === "string") return p;
  if ("i" in p) return p.i;
  if ("sub" in p) return `_${p.sub}`;
  return p.code;
}

export function partHtml(p: Part): string {
  if (typeof p === "string") return escapeHtml(p);
  if ("i" in p) return `<i>${escapeHtml(p.i)}</i>`;
  if ("sub" in p) return `<sub>${escapeHtml(p.sub)}</sub>`;
  return `<code>${escapeHtml(p.code)}</code>`;
}

export const sentenceText = (s: Sentence): string => s.map(partText).join("");
export const sentenceHtml = (s: Sentence): string => s.map(partHtml).join("");
export const paragraphText = (p: Paragraph): string => p.sentences.map(sentenceText).join(" ");
export const paragraphHtml = (p: Paragraph): string => p.sentences.map(sentenceHtml).join(" ");

/** α_good as parts: α with a subscript. */
export const alpha = (v: string): Part[] => ["α", { sub: v }];
