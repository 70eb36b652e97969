/** Validation issues: what a problem says (file, line, column, field, message), how it is printed, and how they are collected. */

import type { Study } from "../types.js";

export type Severity = "error" | "warning";

export interface ValidationIssue {
  severity: Severity;
  file: string;
  line?: number;
  column?: number;
  field?: string;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  study: Study | null;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /** Errors found beyond the cap (not listed). */
  moreErrors: number;
}

export interface ValidateOptions {
  /** At most this many errors are listed; the rest are counted. Default 50. */
  maxErrors?: number;
  /** Minimum trials of each valence per participant-session before a warning. Default 10. */
  minTrialsPerValence?: number;
  /** Largest file read, in bytes (UTF-16 code units of the text). Default 64 MiB. */
  maxFileBytes?: number;
  /** Called as rows are checked: (file, rows done, rows in all). */
  onProgress?: (file: string, done: number, total: number) => void;
}

/** `trials.csv:57:5 (second_estimate): expected a number from 0 to 100, got "1O5"` */
export function formatIssue(issue: ValidationIssue): string {
  let where = issue.file;
  if (issue.line !== undefined) where += `:${issue.line}`;
  if (issue.column !== undefined) where += `:${issue.column}`;
  const field = issue.field ? ` (${issue.field})` : "";
  return `${where}${field}: ${issue.message}`;
}

export function formatValidation(result: ValidationResult): string {
  const lines: string[] = [];
  for (const e of result.errors) lines.push(`error   ${formatIssue(e)}`);
  if (result.moreErrors > 0) lines.push(`… and ${result.moreErrors} more error${result.moreErrors === 1 ? "" : "s"}`);
  for (const w of result.warnings) lines.push(`warning ${formatIssue(w)}`);
  return lines.join("\n");
}

/** Thrown by loaders and commands that refuse an invalid study. */
export class StudyValidationError extends Error {
  constructor(public readonly result: ValidationResult, where = "study") {
    const n = result.errors.length + result.moreErrors;
    super(`${where} is not a valid study folder (${n} error${n === 1 ? "" : "s"}):\n${formatValidation({ ...result, warnings: [] })}`);
    this.name = "StudyValidationError";
  }
}

export class Collector {
  errors: ValidationIssue[] = [];
  warnings: ValidationIssue[] = [];
  moreErrors = 0;
  constructor(private readonly maxErrors: number) {}
  error(issue: Omit<ValidationIssue, "severity">) {
    if (this.errors.length < this.maxErrors) this.errors.push({ severity: "error", ...issue });
    else this.moreErrors++;
  }
  warn(issue: Omit<ValidationIssue, "severity">) {
    if (this.warnings.length < this.maxErrors) this.warnings.push({ severity: "warning", ...issue });
  }
}

export function show(value: string): string {
  return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
}

/** Line (1-based) and column of a character offset, for JSON syntax errors. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

