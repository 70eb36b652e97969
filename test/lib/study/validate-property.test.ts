/**
 * Property-based tests of the validator (fast-check): over 1,000 random corruptions of a valid
 * study it never throws, every error names its file and line (and the column when it is about a
 * cell), and the unmodified study always passes. Dialects give identical studies.
 */
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { validateStudy, type StudyFiles } from "../../../src/lib/study/validate/index.js";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles } from "../../../src/lib/task/simulate.js";

const VALID = studyToFiles(simulateStudy({ ...DEFAULT_CONFIG, nTreatment: 3, nReference: 3, seed: 5 }).study) as Required<StudyFiles>;
const NAMES = Object.keys(VALID) as (keyof typeof VALID)[];
const CHARS = ["a", "Z", "0", "9", ",", ";", "\t", '"', "\n", "\r\n", " ", "-", ".", "O", "\uFEFF", "é", "{", "}", ":", "["];

type Op =
  | { kind: "replace" | "insert"; pos: number; ch: string }
  | { kind: "delete"; pos: number }
  | { kind: "dropLine" | "dupLine"; line: number }
  | { kind: "swapLines"; a: number; b: number }
  | { kind: "cell"; line: number; col: number; value: string };

function apply(text: string, op: Op): string {
  const lines = text.split("\n");
  const at = (n: number) => n % Math.max(1, text.length);
  const ln = (n: number) => n % Math.max(1, lines.length);
  switch (op.kind) {
    case "replace":
      return text.slice(0, at(op.pos)) + op.ch + text.slice(at(op.pos) + 1);
    case "insert":
      return text.slice(0, at(op.pos)) + op.ch + text.slice(at(op.pos));
    case "delete":
      return text.slice(0, at(op.pos)) + text.slice(at(op.pos) + 1);
    case "dropLine":
      lines.splice(ln(op.line), 1);
      return lines.join("\n");
    case "dupLine":
      lines.splice(ln(op.line), 0, lines[ln(op.line)]);
      return lines.join("\n");
    case "swapLines": {
      const [a, b] = [ln(op.a), ln(op.b)];
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join("\n");
    }
    case "cell": {
      const i = ln(op.line);
      const cells = lines[i].split(",");
      cells[op.col % cells.length] = op.value;
      lines[i] = cells.join(",");
      return lines.join("\n");
    }
  }
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom("replace" as const, "insert" as const), pos: fc.nat(), ch: fc.constantFrom(...CHARS) }),
  fc.record({ kind: fc.constant("delete" as const), pos: fc.nat() }),
  fc.record({ kind: fc.constantFrom("dropLine" as const, "dupLine" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("swapLines" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant("cell" as const), line: fc.nat(), col: fc.nat(), value: fc.oneof(fc.constantFrom("", "NaN", "1O5", "0,35", "-1", "101", "1e3", "<img src=x onerror=alert(1)>", '"', "TRD99", "post9"), fc.string({ maxLength: 8 })) }),
);

describe("validator under random corruption", () => {
  test("never throws, always locates its errors; 1,000 corruptions", () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.constantFrom(...NAMES), fc.array(opArb, { minLength: 1, maxLength: 3 }), (name, ops) => {
        const files: StudyFiles = { ...VALID, [name]: ops.reduce(apply, VALID[name]) };
        const r = validateStudy(files);
        for (const e of r.errors) {
          expect(e.file).toMatch(/^(study\.json|participants\.csv|trials\.csv|clinical\.csv)$/);
          expect(e.line, JSON.stringify(e)).toBeGreaterThanOrEqual(1);
          if (e.field && e.line! > 1 && !/^(duplicate|expected \d+ fields)/.test(e.message)) expect(e.column, JSON.stringify(e)).toBeGreaterThanOrEqual(1);
        }
        if (!r.ok) {
          rejected++;
          expect(r.errors.length + r.moreErrors).toBeGreaterThan(0);
        }
        else expect(r.study).not.toBeNull();
      }),
      { numRuns: 1000, seed: 20221101 },
    );
    // The corruptions are real: most of them must be caught.
    expect(rejected).toBeGreaterThan(500);
  });
  test("the unmodified study always passes", () => {
    fc.assert(fc.property(fc.constant(null), () => validateStudy(VALID).ok === true), { numRuns: 20 });
  });
});

describe("dialects give identical studies", () => {
  const base = validateStudy(VALID).study!;
  const variants: [string, (t: string) => string][] = [
    ["semicolon", (t) => t.replace(/,/g, ";")],
    ["tab", (t) => t.replace(/,/g, "\t")],
    ["BOM", (t) => "\uFEFF" + t],
    ["CRLF", (t) => t.replace(/\n/g, "\r\n")],
    ["quoted fields", (t) => t.split("\n").map((l) => (l === "" ? l : l.split(",").map((c) => `"${c}"`).join(","))).join("\n")],
    ["BOM + semicolon + CRLF", (t) => "\uFEFF" + t.replace(/,/g, ";").replace(/\n/g, "\r\n")],
  ];
  test.each(variants)("%s", (_, f) => {
    const files: StudyFiles = { ...VALID };
    for (const n of ["participants.csv", "trials.csv", "clinical.csv"] as const) files[n] = f(VALID[n]);
    const r = validateStudy(files);
    expect(r.errors).toEqual([]);
    expect(r.study).toEqual(base);
  });
});
