/** R source literals of numbers, strings and data frames (for the generated reproduction scripts). Pure. */

/** A number as R reads it back to the same double (JavaScript's shortest round-trip form); NA for null. */
export function rNum(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "NA";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  return String(x);
}

/** A string literal (escaped). */
export function rStr(s: string | null | undefined): string {
  if (s === null || s === undefined) return "NA_character_";
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
}

export function rBool(b: boolean | null | undefined): string {
  return b === null || b === undefined ? "NA" : b ? "TRUE" : "FALSE";
}

export function rVec(xs: readonly (number | null)[]): string {
  return `c(${xs.map(rNum).join(", ")})`;
}

export function rStrVec(xs: readonly (string | null)[]): string {
  return xs.length ? `c(${xs.map(rStr).join(", ")})` : "character(0)";
}

/** A data.frame literal from rows (columns typed by their first non-null value). */
export function rDataFrame(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  if (!rows.length) return `data.frame(${columns.map((c) => `${c} = numeric(0)`).join(", ")})`;
  const cols = columns.map((c) => {
    const values = rows.map((r) => r[c]);
    const isText = values.some((v) => typeof v === "string");
    const isBool = !isText && values.some((v) => typeof v === "boolean");
    const body = isText
      ? rStrVec(values.map((v) => (v === null || v === undefined ? null : String(v))))
      : isBool
        ? `c(${values.map((v) => rBool(v as boolean | null)).join(", ")})`
        : rVec(values.map((v) => (typeof v === "number" ? v : null)));
    return `  ${c} = ${body}`;
  });
  return `data.frame(\n${cols.join(",\n")},\n  stringsAsFactors = FALSE\n)`;
}
