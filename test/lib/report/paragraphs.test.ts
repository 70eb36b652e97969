/**
 * The report's paragraphs, one design at a time (one group and one session; two groups; one group in
 * three sessions; three groups in two sessions; the bundled study; crossover; parallel): every number
 * a sentence prints equals the document's, formatted independently here; synthetic studies say so,
 * real ones never say "synthetic"; strings from study files are escaped in the HTML.
 */
import { describe, expect, test } from "vitest";
import type { AnalysisDocument, DesignDocument } from "../../../src/lib/analysis/report.js";
import { buildReport, reportHtml, reportText } from "../../../src/lib/report/report.js";
import { paragraphText } from "../../../src/lib/report/parts.js";
import { loadStudyFromDir } from "../../../src/lib/study/load.js";
import { analyse, shown, shownDf, shownP } from "./helpers.js";

function paragraph(doc: AnalysisDocument | DesignDocument, id: string): string {
  const r = buildReport(doc);
  const p = [...r.methods, ...r.results].find((x) => x.id === id);
  if (!p) throw new Error(`no paragraph ${id}`);
  return paragraphText(p);
}

/** The sentence of a fixed effect, as the report prints it (t with its df, p, the CI). */
function fixedText(r: { estimate: number; se: number | null; df: number | null; t: number | null; p: number | null; ci?: readonly (number | null)[] | null }): string {
  return `β = ${shown(r.estimate)}, SE = ${shown(r.se!)}, 95% CI [${shown(r.ci![0]!)}, ${shown(r.ci![1]!)}], t(${shownDf(r.df!)}) = ${shown(r.t!)}, p ${shownP(r.p!)}`;
}

function commonChecks(doc: AnalysisDocument): void {
  const methods = paragraph(doc, "methods-scoring");
  const s = doc.scoring;
  expect(methods).toContain(`Of the ${s.total.toLocaleString("en-US")} trials, ${s.scored.toLocaleString("en-US")} were scored`);
  expect(methods).toContain(`${s.missing} with a missing response`);
  expect(methods).toContain(`${s.zeroError} with EE = 0`);
  const lmmMethods = paragraph(doc, "methods-lmm");
  expect(lmmMethods).toContain(doc.lmm.formula);
  expect(lmmMethods).toContain("restricted maximum likelihood (REML)");
  expect(lmmMethods).toContain("Satterthwaite");
  expect(paragraph(doc, "methods-software")).toContain(`version ${doc.kit_version}`);
  expect(paragraph(doc, "methods-software")).toContain(doc.study.citation.replace(/\.$/, ""));
  // The key term of the design's model, with its numbers.
  const key = doc.lmm.fixed.find((f) => f.term === doc.lmm.key_term)!;
  expect(paragraph(doc, "results-lmm")).toContain(fixedText(key));
  expect(paragraph(doc, "results-lmm")).toContain(`fitted to ${doc.lmm.n_obs} observations of ${doc.lmm.n_groups} participants`);
  // Every learning-rate mean and SEM.
  const lr = paragraph(doc, "results-learning-rates");
  for (const r of doc.learning_rate_summary) expect(lr).toContain(`${r.valence === "good" ? "α_good" : "α_bad"} M = ${shown(r.mean)} (SEM ${shown(r.sem!)})`);
  const text = reportText(doc);
  if (doc.study.synthetic) expect(text).toMatch(/synthetic/i);
  else expect(reportHtml(doc)).not.toMatch(/synthetic/i);
}

describe("one group, one session (sim-1x1)", () => {
  test("valence model, update ~ valence, no mediation", async () => {
    const { doc } = (await analyse("test/fixtures/designs-v2/one-group-one-session")) as { doc: AnalysisDocument };
    commonChecks(doc);
    expect(doc.lmm.formula).toBe("update ~ valence + (1 | participant_id)");
    expect(paragraph(doc, "results-lmm")).toContain("For the key term (good news)");
    expect(paragraph(doc, "methods-mediation")).toBe(`No mediation analysis applies to this design: ${doc.mediation.not_applicable}.`);
    expect(paragraph(doc, "results-mediation")).toBe(`No mediation was computed: ${doc.mediation.not_applicable}.`);
    expect(paragraph(doc, "methods-scoring")).toContain("for an adverse event and when BR > E_1 for a desirable one");
    expect(paragraph(doc, "methods-design")).toContain(`${doc.design.positive_events.length} events of them are desirable`);
  });
});

describe("two groups, one session (sim-2x1)", () => {
  test("update ~ group * valence + covariates; the group × valence term", async () => {
    const { doc } = (await analyse("test/fixtures/designs-v2/two-groups-one-session")) as { doc: AnalysisDocument };
    commonChecks(doc);
    expect(doc.lmm.key_term).toBe("groupMDD:valencegood");
    expect(paragraph(doc, "results-lmm")).toContain("For the key term (group MDD × good news)");
    expect(paragraph(doc, "methods-lmm")).toContain("reference levels group HC and bad news");
    for (const a of doc.lmm.anova.filter((x) => x.type === 3)) expect(paragraph(doc, "results-lmm")).toContain(`F(${shownDf(a.num_df as number)}, ${shownDf(a.den_df!)}) = ${shown(a.F!)}, p ${shownP(a.p!)}`);
  });
});

describe("one group, three sessions, and three groups, two sessions (mediation)", () => {
  test.each(["one-group-three-sessions", "three-groups-two-sessions"])("%s: the mediation paragraph has the document's numbers", async (name) => {
    const { doc } = (await analyse(`test/fixtures/designs-v2/${name}`, "boot=1000&seed=3")) as { doc: AnalysisDocument };
    commonChecks(doc);
    const m = doc.mediation;
    const text = paragraph(doc, "results-mediation");
    expect(text).toContain(`In ${m.group} (n = ${m.n}`);
    expect(text).toContain(`a = ${shown(m.a!)}, SE = ${shown(m.paths!.a.se!)}, t(${m.paths!.a.df}) = ${shown(m.paths!.a.t!)}, p ${shownP(m.paths!.a.p!)}`);
    expect(text).toContain(`b = ${shown(m.b!)}, SE = ${shown(m.paths!.b.se!)}, t(${m.paths!.b.df}) = ${shown(m.paths!.b.t!)}`);
    expect(text).toContain(`a·b = ${shown(m.indirect!)}, 95% BCa CI [${shown(m.boot!.bca![0])}, ${shown(m.boot!.bca![1])}] (1,000 bootstrap resamples, seed 3`);
    expect(text).toContain(`Sobel test SE = ${shown(m.sobel_se!)}, z = ${shown(m.sobel_z!)}, p ${shownP(m.sobel_p!)}`);
    expect(paragraph(doc, "methods-mediation")).toContain("bootstrap of 1,000 resamples (seed 3)");
  });
});

describe("the bundled study (two groups, three sessions)", () => {
  test("group × session × valence, the mediation, the published values", async () => {
    const { doc } = (await analyse("data/ketamine-trd")) as { doc: AnalysisDocument };
    commonChecks(doc);
    expect(paragraph(doc, "results-lmm")).toContain("For the key term (group TRD × session post1 × good news), β = 3.75, SE = 1.34, 95% CI [1.10, 6.39], t(162) = 2.80, p = .006");
    const med = paragraph(doc, "results-mediation");
    expect(med).toContain(`a·b = ${shown(doc.mediation.indirect!)}, 95% BCa CI [${shown(doc.mediation.boot!.bca![0])}, ${shown(doc.mediation.boot!.bca![1])}] (5,000 bootstrap resamples, seed 1`);
    expect(med).toContain("ρ = −.48");
    expect(paragraph(doc, "results-published")).toContain("β = −0.91, 95% CI [−1.58, −0.24], t(216) = −2.67, p = .008");
    expect(paragraph(doc, "methods-design").startsWith("The data are synthetic")).toBe(true);
  });
  test("a Satterthwaite df with a fraction has one decimal", async () => {
    const { doc } = (await analyse("data/ketamine-trd", "boot=0")) as { doc: AnalysisDocument };
    const html = reportHtml(doc);
    const intercept = doc.lmm.fixed[0];
    expect(shownDf(intercept.df!)).toBe("59.7");
    expect(html).toContain(`<td class="num">59.7</td>`);
    expect(paragraph(doc, "methods-mediation")).toContain("no bootstrap was run");
  });
});

describe("crossover (williams2018-naltrexone)", () => {
  test("McNemar, response rates with exact CIs, the mixed model per scale and time point", async () => {
    const { doc } = (await analyse("data/williams2018-naltrexone")) as { doc: DesignDocument };
    const o = doc.outcomes;
    const resp = paragraph(doc, "results-response");
    for (const r of o.response) expect(resp).toContain(`${r.condition} ${r.responders} of ${r.n} (${shown(100 * r.rate!, 1)}%, 95% CI [${shown(100 * r.ci![0], 1)}%, ${shown(100 * r.ci![1], 1)}%])`);
    expect(resp).toContain(`exact McNemar test p ${shownP(o.mcnemar!.p!)}`);
    expect(resp).toContain("odds ratio ∞"); // b/c with c = 0
    const models = paragraph(doc, "results-models");
    for (const m of o.models) {
      const k = m.fixed.find((f) => f.term === m.key_term)!;
      expect(models).toContain(`${m.scale} at ${m.session} (${m.n_obs} observations of ${m.n_groups} participants): condition naltrexone, ${fixedText(k)}`);
    }
    expect(paragraph(doc, "methods-analysis")).toContain("change ~ condition + period + (1 | participant_id)");
    expect(paragraph(doc, "methods-analysis")).toContain("exact McNemar test");
    expect(reportText(doc)).toMatch(/synthetic/);
  });
});

describe("parallel (murrough2013-midazolam)", () => {
  test("Fisher's exact test, ANCOVA difference and adjusted means", async () => {
    const { doc } = (await analyse("data/murrough2013-midazolam")) as { doc: DesignDocument };
    const o = doc.outcomes;
    const f = o.fisher!;
    expect(paragraph(doc, "results-response")).toContain(`Fisher's exact test (ketamine vs midazolam, N = ${f.n}): p ${shownP(f.p!)}, conditional odds ratio ${shown(f.conditional_or.estimate!)}, 95% CI [${shown(f.conditional_or.ci![0])}, ${shown(f.conditional_or.ci![1])}]`);
    const a = o.ancova![0];
    const models = paragraph(doc, "results-models");
    expect(models).toContain(`arm ketamine, ${fixedText(o.models[0].fixed.find((x) => x.term === "armketamine")!)}`);
    for (const x of a.adjusted_means) expect(models).toContain(`${x.arm} ${shown(x.mean!)} 95% CI [${shown(x.ci![0])}, ${shown(x.ci![1])}]`);
    expect(paragraph(doc, "methods-analysis")).toContain("score ~ arm + baseline");
  });
});

describe("strings from study files", () => {
  test("a title, group and citation with <script> show as text, not markup; a real study never says synthetic", async () => {
    const study = await loadStudyFromDir("test/fixtures/designs-v2/two-groups-one-session");
    study.meta.title = `Evil <script>alert("x")</script> & "quotes"`;
    study.meta.citation = `<img src=x onerror=alert(1)>`;
    study.meta.synthetic = false;
    const { doc } = await analyse(study, "boot=0");
    const html = reportHtml(doc);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("Evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/synthetic/i);
  });
});
