/**
 * `tsx src/cli/calibrate.ts …`: the calibrate command run from its sources, as before the one bin existed
 * (tests and habits still use these paths). The command itself is commands/calibrate.ts; users run
 * `belief-kit calibrate` (docs/cli.md).
 */
import { runStandalone } from "./command.js";
import { command } from "./commands/calibrate.js";

await runStandalone(command);
