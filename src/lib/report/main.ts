/** `npx tsx src/lib/report/main.ts <study-dir> [options]`: belief-kit report before the CLI wires it (docs/report.md). */
import { runStandalone } from "./command.js";

await runStandalone(process.argv.slice(2));
