import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { CsvLimitError, fieldText, parseCsv, parseCsvFields, type CsvFieldTable } from "../../../src/lib/study/csv.js";

/** The rows of a field table as strings, as parseCsv returns them. */
function rowsOf(t: CsvFieldTable): string[][] {
  const out: string[][] = [];
  for (let r = 0; r < t.nRows; r++) {
    const n = t.first[r + 1] - t.first[r];
    out.push(Array.from({ length: n }, (_, c) => fieldText(t, r, c)));
  }
  return out;
}

function same(text: string, limits?: { maxRecordChars?: number; maxColumns?: number }) {
  let expected: unknown;
  try {
    const t = parseCsv(text, undefined, limits);
    expected = { delimiter: t.delimiter, header: t.header, rows: t.rows, lines: t.lines };
  } catch (e) {
    expected = e instanceof CsvLimitError ? { error: e.message, line: e.line } : e;
  }
  let actual: unknown;
  try {
    const t = parseCsvFields(text, undefined, limits)!;
    expect(t).not.toBeNull();
    actual = { delimiter: t.delimiter, header: t.header, rows: rowsOf(t), lines: Array.from(t.lines) };
  } catch (e) {
    actual = e instanceof CsvLimitError ? { error: e.message, line: e.line } : e;
  }
  expect(actual, JSON.stringify(text)).toEqual(expected);
}

describe("parseCsvFields describes the table parseCsv returns (text without quotes)", () => {
  test("hand-picked cases", () => {
    for (const text of [
      "",
      "\n",
      "a",
      "a,b\n1,2",
      "a,b\n1,2\n",
      "a,b\n1,2\n\n",
      "a,b\r\n1,2\r\n3,4\r\n",
      "\uFEFFa;b\n1;2\n",
      "a\tb\n1\t2\n",
      "a,b\r1,2\r3",
      "a,b\n\n\n1,2\n \n3,4,5\n6\n,\n",
      "a,b\n1,2\r\r\n",
      "a,b\n1,2\r\n\n",
      " a , b \n 1 , 2 ",
      "a,b,\n1,,\n",
    ])
      same(text);
  });
  test("random text", () => {
    const chars = fc.constantFrom("a", "b", "1", "2", ".", " ", ",", ";", "\t", "\n", "\r", "\u00a0");
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }), (cs) => same(cs.join(""))),
      { numRuns: 3000 },
    );
  });
  test("limits: long records and many columns", () => {
    same("a,b\n" + "x".repeat(30) + "\n1,2\n", { maxRecordChars: 20 });
    same("a,b\n" + "x".repeat(21) + "\n", { maxRecordChars: 20 });
    same("a,b\n" + "x".repeat(22) + "\n", { maxRecordChars: 20 });
    same("a,b\n" + "x".repeat(22), { maxRecordChars: 20 });
    same("a,b,c,d\n1,2,3,4\n", { maxColumns: 3 });
  });
  test("declines text with quotes", () => {
    expect(parseCsvFields('a,b\n"1",2\n')).toBeNull();
  });
});
