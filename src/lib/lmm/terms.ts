/**
 * Mixed-model formulas as lme4 reads them: fixed terms plus any number of random-effect terms
 * `(expr | g)` and `(expr || g)`, e.g.
 *
 *     Reaction ~ Days + (Days | Subject)
 *     update ~ group * session * valence + (1 + valence || participant_id)
 *     update ~ group * valence + (1 | participant_id) + (1 | event_id)
 *     y ~ x + (1 | school/class)
 *
 * Supported (R semantics): `+`, `:`, `*`, `^`, `/` (a/b = a + a:b), `-` (term removal, `- 1`),
 * `0 +` / `- 1` (no intercept), in the fixed part and on the left of a bar; grouping factors
 * `g`, `a:b` (interaction), `a/b` (nested: lme4 expands `(1 | a/b)` to `(1 | b:a) + (1 | a)`).
 * `(expr || g)` is expanded as lme4's expandDoubleVerts does: `(1 | g)` when expr has an intercept,
 * plus `(0 + t | g)` for every term t of expr -- one term per model-matrix column for numeric
 * terms, but a factor term keeps all its indicator columns (correlated) in one term.
 * Not supported (a FormulaError with the position): function calls (log(x), poly(x)), `.`,
 * offsets, `%in%`.
 *
 * The tokenizer and parser are those of src/lib/stats/formula.ts (one grammar); this module
 * evaluates the parse tree into fixed and random terms.
 */
import {
  collectVariables,
  crossTerms,
  describe,
  formulaError,
  interactTerms,
  Parser,
  quoteName,
  sameSet,
  tokenize,
  unionTerms,
  type FormulaTerm,
  type Node,
  type TermSet,
} from "../stats/formula.js";

/** One random-effect term (after `||` and `/` expansion). */
export interface RandomTerm {
  /** Whether the term's model matrix has an intercept column. */
  intercept: boolean;
  /** Terms of the left-hand side in R's terms() order (intercept implicit). */
  terms: FormulaTerm[];
  /** Variables whose interaction is the grouping factor. */
  groupVariables: string[];
  /** R's name of the grouping factor, e.g. "Subject", "a:b", "h:Subject", "c:(b:a)". */
  group: string;
  /** The term as R prints it, e.g. "Days | Subject", "0 + Days | Subject". */
  label: string;
}

export interface MixedFormula {
  source: string;
  /** Canonical form: response ~ fixed terms + random terms (after expansion). */
  formula: string;
  response: string;
  /** Whether the fixed part has an intercept. */
  intercept: boolean;
  /** Fixed-effect terms in R's terms() order. */
  terms: FormulaTerm[];
  /** Random-effect terms in order of appearance (lme4 then sorts them by number of levels). */
  random: RandomTerm[];
  /** Variables of the fixed terms, in order of first appearance. */
  fixedVariables: string[];
  /** Every variable the model uses (response first), in order of first appearance. */
  variables: string[];
}

interface Value {
  terms: TermSet[];
  zero: boolean;
  random: { node: Extract<Node, { kind: "bar" }>; pos: number }[];
}

function minusTerms(a: TermSet[], b: TermSet[]): TermSet[] {
  return a.filter((t) => !b.some((u) => sameSet(t, u)));
}

function evaluate(src: string, node: Node, topLevel: boolean): Value {
  switch (node.kind) {
    case "var":
      return { terms: [[node.name]], zero: false, random: [] };
    case "num":
      if (node.value === "1") return { terms: [[]], zero: false, random: [] };
      if (Number(node.value) === 0) return { terms: [], zero: true, random: [] };
      throw formulaError(src, node.pos, `unexpected number '${node.value}'`);
    case "pow": {
      const base = plain(src, node.base);
      let out = base;
      for (let k = 1; k < Number(node.exponent); k++) out = crossTerms(out, base);
      return { terms: out, zero: false, random: [] };
    }
    case "paren":
      if (node.inner.kind === "bar") {
        if (!topLevel) {
          throw formulaError(src, node.pos, "a random-effect term (expr | group) must be added with '+', not combined with other terms");
        }
        return { terms: [], zero: false, random: [{ node: node.inner, pos: node.pos }] };
      }
      return evaluate(src, node.inner, topLevel);
    case "bar":
      throw formulaError(src, node.pos, "a random-effect term must be written in parentheses, e.g. (1 | participant_id)");
    case "bin": {
      if (node.op === "+") {
        const l = evaluate(src, node.left, topLevel);
        const r = evaluate(src, node.right, topLevel);
        return { terms: unionTerms(l.terms, r.terms), zero: l.zero || r.zero, random: [...l.random, ...r.random] };
      }
      if (node.op === "-") {
        const l = evaluate(src, node.left, topLevel);
        const r = evaluate(src, node.right, false);
        if (r.zero) throw formulaError(src, node.pos, "'- 0' is not supported; write '+ 0' or '- 1' to remove the intercept");
        const removesIntercept = r.terms.some((t) => t.length === 0);
        return { terms: minusTerms(l.terms, r.terms), zero: l.zero || removesIntercept, random: l.random };
      }
      const l = plain(src, node.left);
      const r = plain(src, node.right);
      if (node.op === ":") return { terms: interactTerms(l, r), zero: false, random: [] };
      if (node.op === "*") return { terms: crossTerms(l, r), zero: false, random: [] };
      // a / b = a + (all variables of a):b
      const all: TermSet = [];
      for (const t of l) for (const v of t) if (!all.includes(v)) all.push(v);
      return { terms: unionTerms(l, interactTerms([all], r)), zero: false, random: [] };
    }
  }
}

/** A sub-expression without random terms or intercept manipulation. */
function plain(src: string, node: Node): TermSet[] {
  const v = evaluate(src, node, false);
  if (v.zero) throw formulaError(src, node.pos, "'0' (no intercept) can only be added with '+'");
  return v.terms;
}

/** Terms in R's terms() order: by interaction order, ties by appearance; variables by `order`. */
function sortTerms(sets: TermSet[], order: string[]): FormulaTerm[] {
  return sets
    .filter((t) => t.length > 0)
    .map((set, index) => {
      const variables = order.filter((v) => set.includes(v));
      return { variables, label: variables.map(quoteName).join(":"), index };
    })
    .sort((a, b) => a.variables.length - b.variables.length || a.index - b.index)
    .map(({ variables, label }) => ({ variables, label }));
}

interface Group {
  variables: string[];
  name: string;
}

/** Grouping factors of the right of a bar: g, a:b, a/b (nested, expanded as lme4's expandSlash). */
function groups(src: string, node: Node): Group[] {
  if (node.kind === "paren") return groups(src, node.inner);
  if (node.kind === "var") return [{ variables: [node.name], name: quoteName(node.name) }];
  if (node.kind === "bin" && node.op === ":") {
    const l = groups(src, node.left);
    const r = groups(src, node.right);
    if (l.length !== 1 || r.length !== 1) throw formulaError(src, node.pos, "'/' inside ':' is not supported in a grouping factor");
    const vars = [...l[0].variables, ...r[0].variables.filter((v) => !l[0].variables.includes(v))];
    return [{ variables: vars, name: `${l[0].name}:${r[0].name}` }];
  }
  if (node.kind === "bin" && node.op === "/") {
    const l = groups(src, node.left);
    const r = groups(src, node.right);
    if (r.length !== 1) throw formulaError(src, node.pos, "the right of '/' in a grouping factor must be a single factor");
    const outer = l[0];
    const inner = r[0];
    const outerName = outer.name.includes(":") ? `(${outer.name})` : outer.name;
    const vars = [...outer.variables, ...inner.variables.filter((v) => !outer.variables.includes(v))];
    return [{ variables: vars, name: `${inner.name}:${outerName}` }, ...l];
  }
  throw formulaError(src, node.pos, `the grouping factor must be a variable, an interaction a:b or a nesting a/b; got '${describe(src, node)}'`);
}

function lhsText(intercept: boolean, terms: FormulaTerm[]): string {
  if (terms.length === 0) return intercept ? "1" : "0";
  return (intercept ? "1 + " : "0 + ") + terms.map((t) => t.label).join(" + ");
}

function randomTerms(src: string, bar: Extract<Node, { kind: "bar" }>): RandomTerm[] {
  const lhs = evaluate(src, bar.left, false);
  if (lhs.random.length) throw formulaError(src, bar.pos, "random-effect terms cannot be nested inside one another");
  const order: string[] = [];
  collectVariables(bar.left, order, false);
  const intercept = !lhs.zero;
  const terms = sortTerms(lhs.terms, order);
  if (!intercept && terms.length === 0) throw formulaError(src, bar.pos, "a random-effect term needs at least one column, e.g. (1 | g)");
  const gs = groups(src, bar.right);
  const out: RandomTerm[] = [];
  for (const g of gs) {
    const mk = (i: boolean, t: FormulaTerm[]): RandomTerm => ({
      intercept: i,
      terms: t,
      groupVariables: g.variables,
      group: g.name,
      label: `${lhsText(i, t)} | ${g.name}`.replace(/^1 \+ /, "1 + "),
    });
    if (bar.double) {
      if (intercept) out.push(mk(true, []));
      for (const t of terms) out.push(mk(false, [t]));
    } else out.push(mk(intercept, terms));
  }
  return out;
}

/**
 * Parse a mixed-model formula. Throws a FormulaError (message with the formula and the 1-based
 * position) on a syntax error or an unsupported construct, and an Error when there is no random
 * term or the response appears on the right.
 */
export function parseMixedFormula(source: string): MixedFormula {
  if (typeof source !== "string" || source.trim() === "") {
    throw new Error("Formula is empty; expected e.g. 'Reaction ~ Days + (Days | Subject)'");
  }
  const tokens = tokenize(source, true);
  const { lhs, rhs } = new Parser(source, tokens).parseFormula();
  let lhsNode = lhs;
  while (lhsNode && lhsNode.kind === "paren") lhsNode = lhsNode.inner;
  if (!lhsNode) throw formulaError(source, 0, "the formula has no response (left-hand side)");
  if (lhsNode.kind !== "var") throw formulaError(source, 0, "the response (left-hand side) must be a single variable");
  const response = lhsNode.name;

  const value = evaluate(source, rhs, true);
  if (value.random.length === 0) {
    throw new Error(`Formula "${source}": no random-effect term; a linear mixed model needs at least one, such as (1 | participant_id)`);
  }
  const random = value.random.flatMap((r) => randomTerms(source, r.node));
  const fixedVariables: string[] = [];
  collectVariables(rhs, fixedVariables, true);
  if (fixedVariables.includes(response)) {
    throw new Error(`Formula "${source}": the response '${response}' also appears on the right-hand side`);
  }
  const variables = [response, ...fixedVariables];
  for (const r of random) {
    for (const t of r.terms) for (const v of t.variables) if (!variables.includes(v)) variables.push(v);
    for (const v of r.groupVariables) {
      if (v === response) throw new Error(`Formula "${source}": the response '${response}' cannot be a grouping factor`);
      if (!variables.includes(v)) variables.push(v);
    }
    for (const t of r.terms) {
      if (t.variables.includes(response)) throw new Error(`Formula "${source}": the response '${response}' also appears in a random-effect term`);
    }
  }
  const intercept = !value.zero;
  const terms = sortTerms(value.terms, [response, ...fixedVariables]);
  const fixedText = terms.length ? (intercept ? "" : "0 + ") + terms.map((t) => t.label).join(" + ") : intercept ? "1" : "0";
  const formula = `${quoteName(response)} ~ ${fixedText} + ${random.map((r) => `(${r.label})`).join(" + ")}`;
  return { source, formula, response, intercept, terms, random, fixedVariables, variables };
}
