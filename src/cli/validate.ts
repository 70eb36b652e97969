/**
 * `tsx src/cli/validate.ts …`: the validate command run from its sources, as before the one bin existed
 * (tests and habits still use these paths). The command itself is commands/validate.ts; users run
 * `belief-kit validate` (docs/cli.md).
 */
import { runStandalone } from "./command.js";
import { command } from "./commands/validate.js";

await runStandalone(command);
