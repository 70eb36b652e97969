/**
 * `tsx src/cli/simulate.ts …`: the simulate command run from its sources, as before the one bin existed
 * (tests and habits still use these paths). The command itself is commands/simulate.ts; users run
 * `belief-kit simulate` (docs/cli.md).
 */
import { runStandalone } from "./command.js";
import { command } from "./commands/simulate.js";

await runStandalone(command);
