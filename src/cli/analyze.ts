/**
 * `tsx src/cli/analyze.ts …`: the analyze command run from its sources, as before the one bin existed
 * (tests and habits still use these paths). The command itself is commands/analyze.ts; users run
 * `belief-kit analyze` (docs/cli.md).
 */
import { runStandalone } from "./command.js";
import { command } from "./commands/analyze.js";

await runStandalone(command);
