/**
 * `tsx src/cli/bench.ts …`: the bench command run from its sources, as before the one bin existed
 * (tests and habits still use these paths). The command itself is commands/bench.ts; users run
 * `belief-kit bench` (docs/cli.md).
 */
import { runStandalone } from "./command.js";
import { command } from "./commands/bench.js";

await runStandalone(command);
