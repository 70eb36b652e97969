/**
 * `tsx src/cli/recovery.ts …`: the recovery command run from its sources, as before the one bin existed
 * (tests and habits still use these paths). The command itself is commands/recovery.ts; users run
 * `belief-kit recovery` (docs/cli.md).
 */
import { runStandalone } from "./command.js";
import { command } from "./commands/recovery.js";

await runStandalone(command);
