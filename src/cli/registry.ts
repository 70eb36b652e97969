/**
 * The commands of `belief-kit`, each loaded only when asked for, and the top-level help.
 * A new command (docs/cli.md, "Adding a command") is a module in commands/ and one line here.
 */
import { BIN, wrap, type Command } from "./command.js";

/** Every command, in the order `belief-kit --help` lists them. A new command is one line here. */
export const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  validate: () => import("./commands/validate.js"),
  analyze: () => import("./commands/analyze.js"),
  figures: () => import("./commands/figures.js"),
  simulate: () => import("./commands/simulate.js"),
  lmm: () => import("./commands/lmm.js"),
  power: () => import("./commands/power.js"),
  report: () => import("./commands/report.js"),
  recovery: () => import("./commands/recovery.js"),
  bench: () => import("./commands/bench.js"),
  calibrate: () => import("./commands/calibrate.js"),
};

export async function topHelp(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).command));
  const { KIT_VERSION } = await import("../lib/analysis/report.js");
  const pad = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `${BIN} ${KIT_VERSION}: the command line of belief-updating-kit (studies of belief updating after good and bad news)`,
    "",
    `Usage: ${BIN} <command> [options]`,
    `       ${BIN} <command> --help     usage, options with their defaults, examples`,
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(pad)}${wrap(c.summary, pad + 2, pad + 2)}`),
    "",
    "Examples:",
    `  ${BIN} validate data/ketamine-trd`,
    `  ${BIN} analyze data/ketamine-trd --json > a.json`,
    "",
    wrap(`In the kit's folder: npx ${BIN} <command> …, or npm run <command> -- … (the same program). Output meant for files goes to stdout, progress and warnings to stderr; a user error exits 2.`, 0, 0),
    "",
  ].join("\n");
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}


/** Commands within two edits of a mistyped name ("analyse" → analyze). */
export function closestCommands(name: string): string[] {
  return Object.keys(COMMANDS).filter((n) => distance(n, name) <= 2);
}
