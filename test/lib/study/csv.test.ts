import { describe, expect, test } from "vitest";
import { detectDelimiter, parseCsv, toCsv } from "../../../src/lib/study/csv.js";

describe("parseCsv", () => {
  test("detects comma, semicolon and tab", () => {
    expect(detectDelimiter("a,b,c\n1,2,3")).toBe(",");
    expect(detectDelimiter("a;b;c\n1;2;3")).toBe(";");
    expect(detectDelimiter("a\tb\tc\n1\t2\t3")).toBe("\t");
  });
  test("strips a BOM and reads CRLF", () => {
    const t = parseCsv("\uFEFFa,b\r\n1,2\r\n3,4\r\n");
    expect(t.header).toEqual(["a", "b"]);
    expect(t.rows).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(t.lines).toEqual([2, 3]);
  });
  test("line numbers follow quoted newlines and skip blank lines", () => {
    const t = parseCsv('id,note\n1,"two\nlines"\n\n2,x\n');
    expect(t.rows).toEqual([
      ["1", "two\nlines"],
      ["2", "x"],
    ]);
    expect(t.lines).toEqual([2, 5]);
  });
  test("round-trips through toCsv", () => {
    const text = toCsv(["a", "b"], [["x,y", 1], ['q"', null]]);
    expect(text).toBe('a,b\n"x,y",1\n"q""",\n');
    expect(parseCsv(text).rows).toEqual([
      ["x,y", "1"],
      ['q"', ""],
    ]);
  });
});

import { jsonErrorOffset } from "../../../src/lib/study/json-position.js";
describe("jsonErrorOffset", () => {
  test("valid JSON has no error", () => {
    for (const t of ['{"a": [1, 2.5e3, -0.1, true, false, null, "x\\n\\u00e9"]}', "[]", "{}", " 3 "]) expect(jsonErrorOffset(t), t).toBeNull();
  });
  test("points at the first bad character", () => {
    expect(jsonErrorOffset('{"a": oops}')).toBe(6);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('["a" "b"]')).toBe(5);
  });
});
