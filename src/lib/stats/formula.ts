/**
 * A small Wilkinson–Rogers model-formula language with R semantics, enough for
 * linear mixed models with one random intercept, e.g.
 *
 *     update ~ group * session * valence + age + education + (1 | participant_id)
 *
 * Supported on the right-hand side:
 *   - variables (syntactic R names, or `back-quoted names`)
 *   - `a + b`   union of terms
 *   - `a:b`     interaction (every term of a crossed with every term of b)
 *   - `a * b`   = `a + b + a:b`
 *   - `(a + b + c)^2` = all interactions up to order 2
 *   - parentheses for grouping, an explicit intercept `1`
 *   - exactly one random-intercept term `(1 | g)`
 * Not supported (a clear Error is thrown): term removal `-`, `0` / `-1`
 * (no intercept), nesting `/`, random slopes `(x | g)`, `||`, several random
 * terms, function calls such as `log(x)`.
 *
 * Term order and labels follow R's `terms()`: terms are sorted by interaction
 * order (main effects, then two-way, ...), ties keep their order of appearance
 * in the expanded formula; within a term the variables are ordered by their
 * first appearance in the formula (so `b:a + a + b` gives "a", "b", "b:a").
 *
 * `designColumns()` then expands the terms into model-matrix columns exactly as
 * R's `model.matrix()` does (treatment contrasts, R's rule for when a factor in
 * an interaction is coded by contrasts or by full indicator columns, column
 * names such as "groupTRD:sessionpost1", first factor varying fastest).
 */

/** One fixed-effect term (the intercept is implicit and not listed). */
export interface FormulaTerm {
  /** Variables of the term, ordered by first appearance in the formula. */
  variables: string[];
  /** R's term label, e.g. "group:session". */
  label: string;
}

export interface ParsedFormula {
  /** The formula text as given. */
  source: string;
  /** Canonical form, e.g. "update ~ group + session + group:session + (1 | participant_id)". */
  formula: string;
  /** Response variable (left-hand side). */
  response: string;
  /** Fixed-effect terms in R's `terms()` order (intercept implicit). */
  terms: FormulaTerm[];
  /** Grouping variable of the random intercept `(1 | group)`. */
  group: string;
  /** Variables used by the fixed terms, in order of first appearance. */
  fixedVariables: string[];
}

// ---------------------------------------------------------------------------
// Tokenizer

export type TokenType = "name" | "number" | "op" | "end";
export interface Token {
  type: TokenType;
  value: string;
  /** 0-based character offset in the source. */
  pos: number;
}

const OPERATORS = new Set(["~", "+", "-", "*", "/", ":", "^", "|", "(", ")"]);

/** Tokens of a formula; `||` is an error unless `doubleBar` (the mixed-model parser, src/lib/lmm/terms.ts). */
export function tokenize(src: string, doubleBar = false): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "`") {
      const end = src.indexOf("`", i + 1);
      if (end < 0) throw formulaError(src, i, "unterminated back-quoted name");
      const name = src.slice(i + 1, end);
      if (name.length === 0) throw formulaError(src, i, "empty back-quoted name");
      tokens.push({ type: "name", value: name, pos: i });
      i = end + 1;
      continue;
    }
    const num = /^[0-9]+(\.[0-9]*)?/.exec(src.slice(i));
    if (num) {
      tokens.push({ type: "number", value: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z.][A-Za-z0-9._]*/.exec(src.slice(i));
    if (name) {
      // "." alone means "all other columns" in R; not supported here.
      if (name[0] === ".") throw formulaError(src, i, "'.' (all other variables) is not supported");
      tokens.push({ type: "name", value: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    if (ch === "|" && src[i + 1] === "|" && doubleBar) {
      tokens.push({ type: "op", value: "||", pos: i });
      i += 2;
      continue;
    }
    if (ch === "|" && src[i + 1] === "|") {
      throw formulaError(src, i, "'||' (uncorrelated random effects) is not supported; use (1 | group)");
    }
    if (OPERATORS.has(ch)) {
      tokens.push({ type: "op", value: ch, pos: i });
      i++;
      continue;
    }
    throw formulaError(src, i, `unexpected character '${ch}'`);
  }
  tokens.push({ type: "end", value: "", pos: src.length });
  return tokens;
}

/** A formula syntax error naming the formula and the 1-based position. */
export class FormulaError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "FormulaError";
  }
}

export function formulaError(src: string, pos: number, msg: string): Error {
  return new FormulaError(`Formula "${src}": ${msg} (at position ${pos + 1})`, pos + 1);
}

// ---------------------------------------------------------------------------
// Parser (recursive descent, R operator precedence: ^ > : > * / > + - > | > ~)

export type Node =
  | { kind: "var"; name: string; pos: number }
  | { kind: "num"; value: string; pos: number }
  | { kind: "bin"; op: "+" | "-" | "*" | "/" | ":"; left: Node; right: Node; pos: number }
  | { kind: "pow"; base: Node; exponent: string; pos: number }
  | { kind: "paren"; inner: Node; pos: number }
  | { kind: "bar"; left: Node; right: Node; pos: number; double?: boolean };

export class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private isOp(value: string): boolean {
    const t = this.peek();
    return t.type === "op" && t.value === value;
  }
  private fail(t: Token, msg?: string): never {
    const what = t.type === "end" ? "end of formula" : `'${t.value}'`;
    throw formulaError(this.src, t.pos, msg ?? `unexpected ${what}`);
  }

  /** formula := sum '~' bar-expression */
  parseFormula(): { lhs: Node | null; rhs: Node } {
    let lhs: Node | null = null;
    if (!this.isOp("~")) lhs = this.parseSum();
    if (!this.isOp("~")) {
      this.fail(this.peek(), "a formula must have the form 'response ~ terms'");
    }
    this.next();
    const rhs = this.parseBar();
    const t = this.peek();
    if (t.type !== "end") this.fail(t);
    return { lhs, rhs };
  }

  /** bar := sum ('|' sum)? — a bar is only meaningful inside parentheses. */
  private parseBar(): Node {
    const left = this.parseSum();
    if (this.isOp("|") || this.isOp("||")) {
      const t = this.next();
      const right = this.parseSum();
      return t.value === "||" ? { kind: "bar", left, right, pos: t.pos, double: true } : { kind: "bar", left, right, pos: t.pos };
    }
    return left;
  }

  private parseSum(): Node {
    let left = this.parseProduct();
    while (this.isOp("+") || this.isOp("-")) {
      const t = this.next();
      const right = this.parseProduct();
      left = { kind: "bin", op: t.value as "+" | "-", left, right, pos: t.pos };
    }
    return left;
  }

  private parseProduct(): Node {
    let left = this.parseInteraction();
    while (this.isOp("*") || this.isOp("/")) {
      const t = this.next();
      const right = this.parseInteraction();
      left = { kind: "bin", op: t.value as "*" | "/", left, right, pos: t.pos };
    }
    return left;
  }

  private parseInteraction(): Node {
    let left = this.parsePower();
    while (this.isOp(":")) {
      const t = this.next();
      const right = this.parsePower();
      left = { kind: "bin", op: ":", left, right, pos: t.pos };
    }
    return left;
  }

  private parsePower(): Node {
    const base = this.parseAtom();
    if (this.isOp("^")) {
      const t = this.next();
      const e = this.next();
      if (e.type !== "number" || !/^[1-9][0-9]*$/.test(e.value)) {
        this.fail(e, "'^' must be followed by a positive integer, e.g. (a + b + c)^2");
      }
      return { kind: "pow", base, exponent: e.value, pos: t.pos };
    }
    return base;
  }

  private parseAtom(): Node {
    const t = this.next();
    if (t.type === "name") {
      if (this.isOp("(")) {
        this.fail(t, `function calls such as '${t.value}(...)' are not supported; compute the variable in the data instead`);
      }
      return { kind: "var", name: t.value, pos: t.pos };
    }
    if (t.type === "number") return { kind: "num", value: t.value, pos: t.pos };
    if (t.type === "op" && t.value === "(") {
      const inner = this.parseBar();
      if (!this.isOp(")")) this.fail(this.peek(), `expected ')' to close '(' at position ${t.pos + 1}`);
      this.next();
      return { kind: "paren", inner, pos: t.pos };
    }
    if (t.type === "op" && t.value === "-") {
      this.fail(t, "'-' (removing terms or the intercept) is not supported");
    }
    this.fail(t);
  }
}

// ---------------------------------------------------------------------------
// Evaluation of the right-hand side into terms

/** A term as a set of variable names (empty set = intercept). */
export type TermSet = string[];

interface RhsValue {
  terms: TermSet[];
  random: { group: string; pos: number }[];
}

export function sameSet(a: TermSet, b: TermSet): boolean {
  return a.length === b.length && a.every((v) => b.includes(v));
}

export function unionTerms(a: TermSet[], b: TermSet[]): TermSet[] {
  const out = a.slice();
  for (const t of b) if (!out.some((u) => sameSet(u, t))) out.push(t);
  return out;
}

/** R's interaction a:b — every term of a with every term of b (a outer loop). */
export function interactTerms(a: TermSet[], b: TermSet[]): TermSet[] {
  let out: TermSet[] = [];
  for (const l of a) {
    for (const r of b) {
      const t = l.slice();
      for (const v of r) if (!t.includes(v)) t.push(v);
      out = unionTerms(out, [t]);
    }
  }
  return out;
}

export function crossTerms(a: TermSet[], b: TermSet[]): TermSet[] {
  return unionTerms(unionTerms(a, b), interactTerms(a, b));
}

export function describe(src: string, node: Node): string {
  // Best-effort reconstruction of a sub-expression for error messages.
  switch (node.kind) {
    case "var":
      return node.name;
    case "num":
      return node.value;
    case "paren":
      return `(${describe(src, node.inner)})`;
    case "pow":
      return `${describe(src, node.base)}^${node.exponent}`;
    case "bar":
      return `${describe(src, node.left)} ${node.double ? "||" : "|"} ${describe(src, node.right)}`;
    case "bin":
      return `${describe(src, node.left)} ${node.op} ${describe(src, node.right)}`;
  }
}

function evaluate(src: string, node: Node, topLevel: boolean): RhsValue {
  switch (node.kind) {
    case "var":
      return { terms: [[node.name]], random: [] };
    case "num":
      if (node.value === "1") return { terms: [[]], random: [] };
      if (Number(node.value) === 0) {
        throw formulaError(src, node.pos, "removing the intercept ('0' or '- 1') is not supported");
      }
      throw formulaError(src, node.pos, `unexpected number '${node.value}'`);
    case "pow": {
      const base = evaluate(src, node.base, false);
      let out = base.terms;
      for (let k = 1; k < Number(node.exponent); k++) out = crossTerms(out, base.terms);
      return { terms: out, random: [] };
    }
    case "paren": {
      if (node.inner.kind === "bar") {
        if (!topLevel) {
          throw formulaError(
            src,
            node.pos,
            "a random-effect term (1 | group) must be added with '+', not crossed with other terms",
          );
        }
        return { terms: [], random: [randomTerm(src, node.inner)] };
      }
      return evaluate(src, node.inner, topLevel);
    }
    case "bar":
      throw formulaError(src, node.pos, "a random-effect term must be written in parentheses, e.g. (1 | participant_id)");
    case "bin": {
      if (node.op === "-") {
        throw formulaError(src, node.pos, "'-' (removing terms or the intercept) is not supported");
      }
      if (node.op === "/") throw formulaError(src, node.pos, "nesting with '/' is not supported; use ':' and '+'");
      if (node.op === "+") {
        const l = evaluate(src, node.left, topLevel);
        const r = evaluate(src, node.right, topLevel);
        return { terms: unionTerms(l.terms, r.terms), random: [...l.random, ...r.random] };
      }
      const l = evaluate(src, node.left, false);
      const r = evaluate(src, node.right, false);
      return { terms: node.op === ":" ? interactTerms(l.terms, r.terms) : crossTerms(l.terms, r.terms), random: [] };
    }
  }
}

function randomTerm(src: string, bar: Extract<Node, { kind: "bar" }>): { group: string; pos: number } {
  const lhs = bar.left;
  const intercept = lhs.kind === "num" && lhs.value === "1";
  if (!intercept) {
    throw formulaError(
      src,
      bar.pos,
      `only random intercepts of the form (1 | group) are supported; got (${describe(src, bar)})`,
    );
  }
  let g = bar.right;
  while (g.kind === "paren") g = g.inner;
  if (g.kind !== "var") {
    throw formulaError(
      src,
      bar.pos,
      `the grouping factor of a random intercept must be a single variable; got (${describe(src, bar)})`,
    );
  }
  return { group: g.name, pos: bar.pos };
}

/**
 * Variables in order of first appearance; with skipBars, random-effect terms are skipped (as lme4's
 * nobars()), without it the variables inside them count too.
 */
export function collectVariables(node: Node, out: string[], skipBars = true): void {
  switch (node.kind) {
    case "var":
      if (!out.includes(node.name)) out.push(node.name);
      return;
    case "num":
      return;
    case "pow":
      collectVariables(node.base, out, skipBars);
      return;
    case "paren":
      if (!(skipBars && node.inner.kind === "bar")) collectVariables(node.inner, out, skipBars);
      return;
    case "bar":
      if (!skipBars) {
        collectVariables(node.left, out, skipBars);
        collectVariables(node.right, out, skipBars);
      }
      return;
    case "bin":
      collectVariables(node.left, out, skipBars);
      collectVariables(node.right, out, skipBars);
      return;
  }
}

/** Back-quote a name that is not a syntactic R name. */
export function quoteName(name: string): string {
  return /^([A-Za-z]|[.][A-Za-z._]|[.]$)[A-Za-z0-9._]*$/.test(name) ? name : `\`${name}\``;
}

/**
 * Parse a model formula such as
 * `update ~ group * session * valence + age + (1 | participant_id)`.
 * Throws an Error with a clear message (and the position) on anything outside
 * the supported language, when there is no or more than one random term.
 */
export function parseFormula(source: string): ParsedFormula {
  if (typeof source !== "string" || source.trim() === "") {
    throw new Error("Formula is empty; expected e.g. 'update ~ group * valence + (1 | participant_id)'");
  }
  const tokens = tokenize(source);
  const { lhs, rhs } = new Parser(source, tokens).parseFormula();

  let lhsNode = lhs;
  while (lhsNode && lhsNode.kind === "paren") lhsNode = lhsNode.inner;
  if (!lhsNode) throw formulaError(source, 0, "the formula has no response (left-hand side)");
  if (lhsNode.kind !== "var") {
    throw formulaError(source, 0, "the response (left-hand side) must be a single variable");
  }
  const response = lhsNode.name;

  const value = evaluate(source, rhs, true);
  if (value.random.length === 0) {
    throw new Error(
      `Formula "${source}": no random-effect term; a linear mixed model needs exactly one random intercept such as (1 | participant_id)`,
    );
  }
  if (value.random.length > 1) {
    throw formulaError(
      source,
      value.random[1].pos,
      `only one random-intercept term is supported; found ${value.random.length}: ` +
        value.random.map((r) => `(1 | ${r.group})`).join(", "),
    );
  }
  const group = value.random[0].group;

  // Variable order as in R's terms(): response first, then first appearance.
  const fixedVariables: string[] = [];
  collectVariables(rhs, fixedVariables);
  const order = [response, ...fixedVariables];
  if (fixedVariables.includes(response)) {
    throw new Error(`Formula "${source}": the response '${response}' also appears on the right-hand side`);
  }
  if (group === response) {
    throw new Error(`Formula "${source}": the response '${response}' cannot be the grouping factor`);
  }

  // Drop the intercept (empty term); stable sort by interaction order.
  const sets = value.terms.filter((t) => t.length > 0);
  const terms: FormulaTerm[] = sets
    .map((set, index) => {
      const variables = order.filter((v) => set.includes(v));
      return { variables, label: variables.map(quoteName).join(":"), index };
    })
    .sort((a, b) => a.variables.length - b.variables.length || a.index - b.index)
    .map(({ variables, label }) => ({ variables, label }));

  const rhsText = terms.length > 0 ? terms.map((t) => t.label).join(" + ") : "1";
  return {
    source,
    formula: `${quoteName(response)} ~ ${rhsText} + (1 | ${quoteName(group)})`,
    response,
    terms,
    group,
    fixedVariables,
  };
}

// ---------------------------------------------------------------------------
// Model-matrix columns

/** How a variable enters the model matrix. */
export type VariableKind =
  | { kind: "numeric" }
  /** A factor; `levels[0]` is the reference level of treatment contrasts. */
  | { kind: "factor"; levels: readonly string[] };

/** One factor of a column: a numeric variable, or the indicator of one factor level. */
export interface ColumnPart {
  variable: string;
  /** Index into the factor's levels, or null for a numeric variable. */
  level: number | null;
}

/** A model-matrix column: the product of its parts (no parts = the intercept). */
export interface DesignColumn {
  /** R's column name, e.g. "(Intercept)", "groupTRD", "age:groupTRD". */
  name: string;
  /** Label of the term the column belongs to ("(Intercept)" for the intercept). */
  term: string;
  parts: ColumnPart[];
}

/**
 * Expand fixed-effect terms into model-matrix columns as R's `model.matrix()`
 * does with treatment contrasts (`contr.treatment`) and an intercept.
 *
 * Coding rule (R's `TermCode`, Chambers & Hastie 1992, Statistical Models in
 * S, p. 38): a factor v in term T is coded by contrasts (levels 2..k) if
 * T without v is empty (main effect; the intercept is present) or is contained
 * in a preceding term; otherwise it is coded by indicators of all k levels.
 * E.g. `age + age:group` gives "age:groupHC", "age:groupTRD".
 * Columns of an interaction vary the first variable fastest. With `intercept = false` (a formula
 * with `0 +` or `- 1`) there is no intercept column and, as R does, the first factor of the first
 * term that contains a factor is coded by indicators of all its levels.
 */
export function designColumns(terms: FormulaTerm[], kinds: Record<string, VariableKind>, intercept = true): DesignColumn[] {
  const columns: DesignColumn[] = intercept ? [{ name: "(Intercept)", term: "(Intercept)", parts: [] }] : [];
  // Without an intercept, R (model.c) codes the first factor of the first term that has one by
  // indicators of all its levels.
  let fullFirst: { term: number; variable: string } | null = null;
  if (!intercept) {
    for (let ti = 0; ti < terms.length && !fullFirst; ti++) {
      const v = terms[ti].variables.find((u) => kinds[u]?.kind === "factor");
      if (v !== undefined) fullFirst = { term: ti, variable: v };
    }
  }
  terms.forEach((term, ti) => {
    // For each variable, the list of (name, part) alternatives.
    const options: { name: string; part: ColumnPart }[][] = term.variables.map((v) => {
      const kind = kinds[v];
      if (!kind) throw new Error(`designColumns: no kind given for variable '${v}'`);
      if (kind.kind === "numeric") return [{ name: quoteName(v), part: { variable: v, level: null } }];
      const rest = term.variables.filter((u) => u !== v);
      const contrasts =
        !(fullFirst && fullFirst.term === ti && fullFirst.variable === v) &&
        (rest.length === 0 || terms.slice(0, ti).some((prev) => rest.every((u) => prev.variables.includes(u))));
      const first = contrasts ? 1 : 0;
      const out: { name: string; part: ColumnPart }[] = [];
      for (let l = first; l < kind.levels.length; l++) {
        out.push({ name: `${quoteName(v)}${kind.levels[l]}`, part: { variable: v, level: l } });
      }
      return out;
    });
    // Cartesian product, first variable varying fastest.
    let combos: { name: string; part: ColumnPart }[][] = [[]];
    for (const opts of options) {
      const nextCombos: { name: string; part: ColumnPart }[][] = [];
      for (const o of opts) for (const c of combos) nextCombos.push([...c, o]);
      combos = nextCombos;
    }
    for (const c of combos) {
      columns.push({ name: c.map((x) => x.name).join(":"), term: term.label, parts: c.map((x) => x.part) });
    }
  });
  return columns;
}
