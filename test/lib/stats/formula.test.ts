import { describe, expect, it } from "vitest";
import { designColumns, parseFormula, type VariableKind } from "../../../src/lib/stats/formula.js";

const labels = (f: string): string[] => parseFormula(f).terms.map((t) => t.label);

describe("parseFormula: term expansion and order (as R's terms())", () => {
  it("expands a three-way crossing and sorts by interaction order", () => {
    const f = parseFormula("update ~ group * session * valence + age + education + (1 | participant_id)");
    expect(f.response).toBe("update");
    expect(f.group).toBe("participant_id");
    expect(f.terms.map((t) => t.label)).toEqual([
      "group",
      "session",
      "valence",
      "age",
      "education",
      "group:session",
      "group:valence",
      "session:valence",
      "group:session:valence",
    ]);
    expect(f.fixedVariables).toEqual(["group", "session", "valence", "age", "education"]);
    expect(f.formula).toBe(
      "update ~ group + session + valence + age + education + group:session + group:valence + " +
        "session:valence + group:session:valence + (1 | participant_id)",
    );
  });

  // Expected values are R 4.x output of attr(terms(f), "term.labels").
  it.each([
    ["y ~ (a + b):(c + d) + (1|g)", ["a:c", "a:d", "b:c", "b:d"]],
    ["y ~ (a + b) * (c + d) + (1|g)", ["a", "b", "c", "d", "a:c", "a:d", "b:c", "b:d"]],
    ["y ~ b:a + a + b + (1|g)", ["a", "b", "b:a"]],
    ["y ~ a*b*c + d + (1|g)", ["a", "b", "c", "d", "a:b", "a:c", "b:c", "a:b:c"]],
    ["y ~ (a + b + c)^2 + (1|g)", ["a", "b", "c", "a:b", "a:c", "b:c"]],
    ["y ~ a:b + a + (1|g)", ["a", "a:b"]],
    ["y ~ a*b + b:a:c + c:a + (1|g)", ["a", "b", "a:b", "a:c", "a:b:c"]],
    ["y ~ c + a:c + a + (1|g)", ["c", "a", "c:a"]],
    ["y ~ a + a + a:a + (1|g)", ["a"]],
    ["y ~ 1 + (1|g)", []],
    ["y ~ (1|g) + 1 + x", ["x"]],
  ])("%s", (f, expected) => {
    expect(labels(f)).toEqual(expected);
  });

  it("accepts back-quoted names, whitespace and redundant parentheses", () => {
    const f = parseFormula("  `belief update` ~ ((group)) *`my var`+(1|(`participant id`)) ");
    expect(f.response).toBe("belief update");
    expect(f.group).toBe("participant id");
    expect(f.terms.map((t) => t.variables)).toEqual([["group"], ["my var"], ["group", "my var"]]);
    expect(f.formula).toBe("`belief update` ~ group + `my var` + group:`my var` + (1 | `participant id`)");
  });

  it("ignores the grouping variable when ordering variables (lme4's nobars())", () => {
    const f = parseFormula("y ~ (1 | g) + b + a:b");
    expect(f.fixedVariables).toEqual(["b", "a"]);
    expect(f.terms.map((t) => t.label)).toEqual(["b", "b:a"]);
  });
});

describe("parseFormula: errors", () => {
  it.each([
    ["y ~ a + b", /no random-effect term.*\(1 \| participant_id\)/],
    ["y ~ a + (1 | g) + (1 | h)", /only one random-intercept term is supported.*\(1 \| g\), \(1 \| h\)/],
    ["y ~ a + (x | g)", /only random intercepts of the form \(1 \| group\) are supported; got \(x \| g\)/],
    ["y ~ a + (1 + x | g)", /only random intercepts/],
    ["y ~ a + (1 || g)", /'\|\|'.*not supported/],
    ["y ~ a + (1 | g:h)", /grouping factor of a random intercept must be a single variable/],
    ["y ~ a * (1 | g)", /must be added with '\+'/],
    ["y ~ a + 1 | g", /must be written in parentheses/],
    ["y ~ a - 1 + (1 | g)", /'-'.*not supported/],
    ["y ~ 0 + a + (1 | g)", /removing the intercept/],
    ["y ~ a / b + (1 | g)", /nesting with '\/' is not supported/],
    ["y ~ log(a) + (1 | g)", /function calls such as 'log\(\.\.\.\)' are not supported/],
    ["y ~ a + . + (1 | g)", /'\.' \(all other variables\) is not supported/],
    ["y ~ a + $ + (1 | g)", /unexpected character '\$' \(at position 9\)/],
    ["y ~ (a + b + (1 | g)", /expected '\)'/],
    ["y ~ a + b) + (1 | g)", /unexpected '\)'/],
    ["y ~ a^x + (1 | g)", /'\^' must be followed by a positive integer/],
    ["y a + (1 | g)", /must have the form 'response ~ terms'/],
    ["~ a + (1 | g)", /no response/],
    ["y + z ~ a + (1 | g)", /response \(left-hand side\) must be a single variable/],
    ["y ~ y + a + (1 | g)", /response 'y' also appears on the right-hand side/],
    ["y ~ a + (1 | y)", /cannot be the grouping factor/],
    ["", /Formula is empty/],
  ])("%s", (f, message) => {
    expect(() => parseFormula(f)).toThrow(message);
  });

  it("names the formula and the position", () => {
    expect(() => parseFormula("y ~ a + # + (1|g)")).toThrow('Formula "y ~ a + # + (1|g)": unexpected character \'#\' (at position 9)');
  });
});

describe("designColumns (as R's model.matrix with treatment contrasts)", () => {
  const kinds: Record<string, VariableKind> = {
    g: { kind: "factor", levels: ["HC", "TRD"] },
    s: { kind: "factor", levels: ["p1", "p2", "pre"] },
    v: { kind: "factor", levels: ["bad", "good"] },
    age: { kind: "numeric" },
  };
  const names = (f: string): string[] => designColumns(parseFormula(f + " + (1 | id)").terms, kinds).map((c) => c.name);

  // Expected values: colnames(model.matrix(~ ..., d)) in R 4.x.
  it.each([
    ["y ~ age + age:g", ["(Intercept)", "age", "age:gTRD"]],
    ["y ~ s*v", ["(Intercept)", "sp2", "spre", "vgood", "sp2:vgood", "spre:vgood"]],
    [
      "y ~ g*s*v + age",
      [
        "(Intercept)", "gTRD", "sp2", "spre", "vgood", "age", "gTRD:sp2", "gTRD:spre", "gTRD:vgood",
        "sp2:vgood", "spre:vgood", "gTRD:sp2:vgood", "gTRD:spre:vgood",
      ],
    ],
    ["y ~ g + s:v", ["(Intercept)", "gTRD", "sp1:vbad", "sp2:vbad", "spre:vbad", "sp1:vgood", "sp2:vgood", "spre:vgood"]],
    ["y ~ g:s", ["(Intercept)", "gHC:sp1", "gTRD:sp1", "gHC:sp2", "gTRD:sp2", "gHC:spre", "gTRD:spre"]],
    ["y ~ age:g + g", ["(Intercept)", "gTRD", "age:gHC", "age:gTRD"]],
    ["y ~ s:age + g:s", ["(Intercept)", "sp1:age", "sp2:age", "spre:age", "sp1:gTRD", "sp2:gTRD", "spre:gTRD"]],
    [
      "y ~ g + age + g:age:s",
      ["(Intercept)", "gTRD", "age", "gHC:age:sp1", "gTRD:age:sp1", "gHC:age:sp2", "gTRD:age:sp2", "gHC:age:spre", "gTRD:age:spre"],
    ],
  ])("%s", (f, expected) => {
    expect(names(f)).toEqual(expected);
  });

  it("describes each column as a product of parts", () => {
    const cols = designColumns(parseFormula("y ~ age * g + (1 | id)").terms, kinds);
    expect(cols.map((c) => [c.name, c.term, c.parts])).toEqual([
      ["(Intercept)", "(Intercept)", []],
      ["age", "age", [{ variable: "age", level: null }]],
      ["gTRD", "g", [{ variable: "g", level: 1 }]],
      ["age:gTRD", "age:g", [{ variable: "age", level: null }, { variable: "g", level: 1 }]],
    ]);
  });

  it("throws when a variable has no kind", () => {
    expect(() => designColumns(parseFormula("y ~ zz + (1 | id)").terms, kinds)).toThrow(/no kind given for variable 'zz'/);
  });
});
