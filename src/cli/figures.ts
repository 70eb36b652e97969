/**
 * `tsx src/cli/figures.ts …`: the figures command run from its sources, as before the one bin existed
 * (tests and habits still use these paths). The command itself is commands/figures.ts; users run
 * `belief-kit figures` (docs/cli.md).
 */
import { runStandalone } from "./command.js";
import { command } from "./commands/figures.js";

await runStandalone(command);
