/**
 * What a subcommand of `belief-kit` is: its spec (name, summary, arguments, options with their
 * defaults, examples) and its run(). The dispatcher (main.ts) parses the arguments against the
 * spec and generates `--help` from it, so the help cannot drift from what the command accepts.
 * Adding a command: a module in commands/ exporting `command: Command`, one line in main.ts
 * (docs/cli.md, "Adding a command").
 */
import { parseArgs, UsageError, type ParsedArgs } from "./args.js";

export const BIN = "belief-kit";

export interface OptionSpec {
  /** Without the leading "--". */
  name: string;
  /** Placeholder of the value (`N`, `DIR`, `a,b`); absent for a boolean flag. */
  value?: string;
  /** Shown as "(default: …)"; absent when there is none (or for a flag). */
  default?: string;
  description: string;
  /** Accepted but neither listed in --help nor in error messages (internal, e.g. bench's child processes). */
  hidden?: boolean;
}

export interface PositionalSpec {
  /** Shown as <name>. */
  name: string;
  description: string;
  default?: string;
  /** Required positionals are checked by the command, which knows the message to give. */
  required?: boolean;
}

/** Something a user may need for an example to run (see docs/cli.md, "Examples are tested"). */
export type Requirement = "chromium" | "R";

export interface Example {
  /** Exactly what a user types, starting with `belief-kit`. */
  command: string;
  /** One line on what it does. */
  note: string;
  /** Takes more than a few seconds: run by `npm run test:slow` only (docs/cli.md, "Examples are tested"). */
  slow?: boolean;
  needs?: Requirement[];
  /** Never run by the tests, for this reason (e.g. minutes long). */
  skip?: string;
}

export interface RunContext {
  /** Arguments after `node [flags]` that run this same command again (bench starts child processes). */
  self: string[];
}

export interface Command {
  name: string;
  /** One line, lower case, no final period: shown in `belief-kit --help`. */
  summary: string;
  /** Paragraphs shown under the usage line (separated by blank lines). */
  description?: string;
  positionals: PositionalSpec[];
  options: OptionSpec[];
  examples: Example[];
  run(args: ParsedArgs, ctx: RunContext): Promise<void>;
  /** Errors (besides UsageError) that are the user's: message on stderr, exit 2, no stack trace. */
  isUserError?: (e: unknown) => boolean;
}

const HELP: OptionSpec = { name: "help", description: "print this help and exit" };
const WIDTH = 100;

/** Greedy word wrap of one paragraph; continuation lines indented by `indent`. */
export function wrap(text: string, first: number, indent: number, width = WIDTH): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  let room = width - first;
  for (const w of words) {
    if (line && line.length + 1 + w.length > room) {
      lines.push(line);
      line = w;
      room = width - indent;
    } else line = line ? `${line} ${w}` : w;
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

function optionLabel(o: OptionSpec): string {
  return o.name === "help" ? "-h, --help" : `--${o.name}${o.value ? ` ${o.value}` : ""}`;
}

export function usageLine(c: Command): string {
  const pos = c.positionals.map((p) => (p.required ? `<${p.name}>` : `[<${p.name}>]`));
  return [BIN, c.name, ...pos, c.options.some((o) => !o.hidden) ? "[options]" : ""].filter(Boolean).join(" ");
}

/** The text of `belief-kit <command> --help`. */
export function helpText(c: Command): string {
  const out: string[] = [`${BIN} ${c.name}: ${c.summary}`, "", `Usage: ${usageLine(c)}`];
  if (c.description) for (const p of c.description.split(/\n\s*\n/)) out.push("", wrap(p, 0, 0));
  const rows: [string, string][] = [];
  const table = (title: string, items: [string, string][]) => {
    if (!items.length) return;
    const pad = Math.min(28, Math.max(...items.map(([l]) => l.length)) + 2);
    out.push("", `${title}:`);
    for (const [label, text] of items) {
      const head = `  ${label.padEnd(pad)}`;
      out.push(head.length > pad + 2 ? `  ${label}\n${" ".repeat(pad + 2)}${wrap(text, pad + 2, pad + 2)}` : `${head}${wrap(text, pad + 2, pad + 2)}`);
    }
  };
  for (const p of c.positionals) rows.push([`<${p.name}>`, p.default !== undefined ? `${p.description} (default: ${p.default})` : p.description]);
  table("Arguments", rows);
  table(
    "Options",
    [...c.options.filter((o) => !o.hidden), HELP].map((o) => [optionLabel(o), o.default !== undefined ? `${o.description} (default: ${o.default})` : o.description]),
  );
  out.push("", c.examples.length > 1 ? "Examples:" : "Example:");
  for (const e of c.examples) out.push(`  ${e.command}`, `      ${wrap(e.note, 6, 6)}`);
  return out.join("\n") + "\n";
}

export function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

/** Parses argv against the spec: unknown options exit 2 with the list of known ones. */
export function parseFor(c: Command, argv: string[]): ParsedArgs {
  const values = c.options.filter((o) => o.value).map((o) => o.name);
  const booleans = c.options.filter((o) => !o.value).map((o) => o.name);
  const listed = c.options.filter((o) => !o.hidden).map((o) => o.name);
  return parseArgs(argv, { values, booleans, listed, help: `${BIN} ${c.name} --help` });
}

/** Runs a command on argv: --help, parsing, and the error convention of args.ts (exit 2, one paragraph, no stack). */
export async function runCommand(c: Command, argv: string[], ctx: RunContext): Promise<void> {
  if (wantsHelp(argv)) {
    process.stdout.write(helpText(c));
    return;
  }
  try {
    await c.run(parseFor(c, argv), ctx);
  } catch (e) {
    if (e instanceof UsageError || c.isUserError?.(e)) {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

/** `belief-kit analyze … | head`: a reader that stops early is not an error (exit 0, no stack trace). */
export function endQuietlyOnClosedStdout(): void {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}

/** For the entry files src/cli/<name>.ts, run directly (tsx) as before the dispatcher. */
export async function runStandalone(c: Command): Promise<void> {
  endQuietlyOnClosedStdout();
  await runCommand(c, process.argv.slice(2), { self: [process.argv[1]] });
}

export { UsageError };
