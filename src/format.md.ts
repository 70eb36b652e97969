/**
 * Framework page loader: the site's page on the study folder format is docs/study-format.md itself
 * (one text for the repository and the published site); a link to another docs page becomes its
 * path in the kit's repository (docs/<page>.md), which the published site does not carry.
 */
import { readFileSync } from "node:fs";

const text = readFileSync(new URL("../docs/study-format.md", import.meta.url), "utf8");
process.stdout.write(`---\ntitle: The study folder format\ntoc: true\n---\n\n${text.replace(/\[([^\]]+)\]\(([a-z-]+)\.md\)/g, "`docs/$2.md`")}`);
