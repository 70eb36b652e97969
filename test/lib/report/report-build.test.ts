/** The report of the bundled study: built (analysis, figures, HTML, CSV, R bundle) in at most 2 s; tables as CSV; APA numbers. */
import { csvParse } from "d3-dsv";
import { describe, expect, test } from "vitest";
import { df, num, pValue, unitNum } from "../../../src/lib/report/format.js";
import { buildStudyReport } from "../../../src/cli/report-build.js";
import { analysisTables, tableToCsv } from "../../../src/lib/report/tables.js";
import { defaultParams } from "../../../src/lib/analysis/params.js";
import { designOf } from "../../../src/lib/analysis/pipeline.js";
import { loadStudyFromDir } from "../../../src/lib/study/load.js";
import type { AnalysisDocument } from "../../../src/lib/analysis/report.js";

describe("the bundled study's report", () => {
  test("is built in at most 2 s, with its figures inline and its R files", async () => {
    const study = await loadStudyFromDir("data/ketamine-trd");
    buildStudyReport(study, { params: defaultParams(designOf(study)) }); // warm up (module and JIT)
    const t0 = performance.now();
    const b = buildStudyReport(study, { params: defaultParams(designOf(study)) });
    const ms = performance.now() - t0;
    if (process.env.BUK_TEST_LOGS) process.stdout.write(`report of ketamine-trd: ${ms.toFixed(0)} ms (${JSON.stringify(b.ms)})\n`);
    expect(ms).toBeLessThan(2000);
    expect(b.figures.map((f) => f.name)).toEqual(["updates", "lr-means", "learning-rates", "model-comparison", "mediation", "bootstrap", "sensitivity"]);
    expect((b.html.match(/<figure class="chart"[^>]*><figcaption><b>Figure \d+.<\/b><\/figcaption><svg /g) ?? []).length).toBe(7);
    expect(b.html).not.toMatch(/<script|<link |src="http/i);
    expect(Object.keys(b.r).sort()).toEqual(["cells.csv", "clinical.csv", "fits.csv", "participants.csv", "reproduce.R", "scored_trials.csv"]);
    // Tables as data: the CSV has the document's numbers at full precision.
    const doc = b.doc as AnalysisDocument;
    const fixed = csvParse(b.csv["lmm-fixed"]);
    expect(fixed.map((r) => r.term)).toEqual(doc.lmm.fixed.map((f) => f.term));
    fixed.forEach((r, i) => {
      expect(Number(r.estimate)).toBe(doc.lmm.fixed[i].estimate);
      expect(Number(r.ci_low)).toBe(doc.lmm.fixed[i].ci![0]);
      expect(Number(r.p)).toBe(doc.lmm.fixed[i].p);
    });
    expect(csvParse(b.csv.fits).length).toBe(doc.fits.length);
  });
});

describe("CSV and APA formatting", () => {
  test("CSV quotes commas, quotes and newlines; empty for missing", async () => {
    const study = await loadStudyFromDir("test/fixtures/designs-v2/one-group-one-session");
    const t = analysisTables({ ...(await import("./helpers.js").then((h) => h.analyse(study))).doc } as AnalysisDocument).find((x) => x.id === "lmm-fixed")!;
    const odd = { ...t, rows: [{ ...t.rows[0], term: 'a,"b"\nc', p: null }] };
    const back = csvParse(tableToCsv(odd));
    expect(back[0].term).toBe('a,"b"\nc');
    expect(back[0].p).toBe("");
  });
  test("p, df, correlations and estimates as journals print them", () => {
    expect(pValue(0.0231)).toBe("= .023");
    expect(pValue(0.0004)).toBe("< .001");
    expect(pValue(0.9996)).toBe("> .999");
    expect(df(25)).toBe("25");
    expect(df(59.6768)).toBe("59.7");
    expect(df(161.99999999999991)).toBe("162");
    expect(unitNum(-0.4799)).toBe("\u2212.48");
    expect(num(-0.001)).toBe("0.00");
    expect(num(-1.0748)).toBe("\u22121.07");
    expect(num(Infinity)).toBe("∞");
  });
});
