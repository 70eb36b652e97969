/**
 * Numbers as journals ask for them (APA 7th edition, sections 6.36-6.44): pure, no DOM.
 *
 *  - p without a leading zero, exact to three decimals: "p = .023", below .001 "p < .001", above .999 "p > .999";
 *  - statistics bounded by 1 (correlations, probabilities, p) without a leading zero: "r = -.48";
 *  - t(df) with whole df as integers and fractional (Satterthwaite) df with one decimal: "t(25) = 3.83", "t(59.7) = 1.73";
 *  - estimates with two decimals and their interval: "β = 3.75, 95% CI [1.10, 6.39]";
 *  - the minus sign U+2212, a thin space nowhere (plain text stays copyable).
 *
 * Every function returns Parts (report/parts.ts) so that the symbols can be set in italics in HTML.
 */
import type { Part } from "./parts.js";

export const MINUS = "\u2212";

/** A number with `digits` decimals, minus sign U+2212; "–" (en dash) for null / non-finite. */
export function num(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return x === Infinity ? "∞" : x === -Infinity ? `${MINUS}∞` : "–";
  let s = x.toFixed(digits);
  if (/^-0(\.0*)?$/.test(s)) s = s.slice(1); // -0.00 -> 0.00
  return s.startsWith("-") ? MINUS + s.slice(1) : s;
}

/** A number bounded by 1 in absolute value (correlation, proportion), without the leading zero: ".48", "−.48", "1.00". */
export function unitNum(x: number | null | undefined, digits = 2): string {
  const s = num(x, digits);
  return s.replace(/^(\u2212?)0\./, "$1.");
}

/** A count with thousands separators: 5,347. */
export function int(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "–";
  const s = Math.round(Math.abs(n)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return n < 0 ? MINUS + s : s;
}

/** Degrees of freedom: whole numbers as integers, fractional ones (Satterthwaite) with one decimal. */
export function df(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-6 * Math.max(1, Math.abs(x)) ? String(r) : x.toFixed(1);
}

/** The value part of a p-value: "= .023", "< .001", "> .999". */
export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "= –";
  if (p < 0.001) return "< .001";
  if (p > 0.999) return "> .999";
  return `= ${p.toFixed(3).replace(/^0/, "")}`;
}

/** "p = .023" as parts (italic p). */
export function p(pv: number | null | undefined): Part[] {
  return [{ i: "p" }, ` ${pValue(pv)}`];
}

/** "[1.10, 6.39]"; "–" without an interval. */
export function interval(ci: readonly (number | null)[] | null | undefined, digits = 2): string {
  if (!ci || ci.length < 2) return "–";
  return `[${num(ci[0], digits)}, ${num(ci[1], digits)}]`;
}

/** "t(25) = 3.83" */
export function t(tv: number | null | undefined, dfv: number | null | undefined): Part[] {
  return [{ i: "t" }, `(${df(dfv)}) = ${num(tv, 2)}`];
}

/** "F(1, 216.0) = 7.73" */
export function F(fv: number | null | undefined, df1: number | null | undefined, df2: number | null | undefined): Part[] {
  return [{ i: "F" }, `(${df(df1)}, ${df(df2)}) = ${num(fv, 2)}`];
}

/** "z = −1.99" */
export function z(zv: number | null | undefined): Part[] {
  return [{ i: "z" }, ` = ${num(zv, 2)}`];
}

/** "95% CI [1.10, 6.39]" */
export function ci(c: readonly (number | null)[] | null | undefined, level = 0.95, digits = 2): string {
  return `${Math.round(level * 100)}% CI ${interval(c, digits)}`;
}

/** A percentage of a proportion: 0.5833 -> "58.3%". */
export function percent(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  return `${num(100 * x, digits)}%`;
}

/** A list in prose: "a", "a and b", "a, b and c". */
export function list(items: readonly string[], conj = "and"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${conj} ${items[items.length - 1]}`;
}

/** "1 trial", "2 trials". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${int(n)} ${n === 1 ? one : many}`;
}
