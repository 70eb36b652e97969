#!/usr/bin/env node
/**
 * belief-kit <command> [options]: the kit's one command line (package.json "bin").
 *
 * Each command is a module of commands/ exporting `command` (its spec and run()), listed in
 * registry.ts; it is loaded only when asked for, so `belief-kit validate` does not load the figure
 * renderer. `belief-kit --help` lists the commands, `belief-kit <command> --help` prints the
 * command's usage, options with their defaults and examples. User errors exit 2 with one paragraph on stderr (src/cli/args.ts).
 * Imports nothing of the kit's modules itself (they load with the command).
 * Compiled into dist-cli/ by src/cli/build.mjs (npm ci runs it); `npm run cli -- …` runs the sources.
 */
import { BIN, endQuietlyOnClosedStdout, runCommand } from "./command.js";
import { ensureFresh } from "./fresh.js";
import { COMMANDS, closestCommands, topHelp } from "./registry.js";

/** Defined (true) by the build (build.mjs); undefined when the sources run through tsx. */
declare const BELIEF_KIT_BUILD: boolean | undefined;

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  const names = Object.keys(COMMANDS);
  if (name === undefined) {
    process.stderr.write(`${BIN}: no command given; commands: ${names.join(", ")} (${BIN} --help)\n`);
    process.exit(2);
  }
  if (name === "--help" || name === "-h" || name === "help") {
    if (name === "help" && rest[0] !== undefined) return main([rest[0], "--help"]);
    process.stdout.write(await topHelp());
    return;
  }
  if (name === "--version" || name === "-v") {
    process.stdout.write(`${(await import("../lib/analysis/report.js")).KIT_VERSION}\n`);
    return;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    const near = closestCommands(name);
    const what = name.startsWith("-") ? `unknown option ${name} before the command` : `unknown command ${JSON.stringify(name)}`;
    process.stderr.write(`${what}${near.length ? ` (did you mean ${near.join(" or ")}?)` : ""}; commands: ${names.join(", ")} (${BIN} --help)\n`);
    process.exit(2);
  }
  const { command } = await load();
  await runCommand(command, rest, { self: [process.argv[1], name] });
}

if (typeof BELIEF_KIT_BUILD !== "undefined") ensureFresh(import.meta.url);
endQuietlyOnClosedStdout();
await main(process.argv.slice(2));
