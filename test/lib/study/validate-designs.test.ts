/** The validator on crossover and parallel studies (docs/designs.md): every rule with its message. */
import { describe, expect, test } from "vitest";
import { formatIssue, validateStudy, type StudyFiles } from "../../../src/lib/study/validate/index.js";
import { MURROUGH_CONFIG, WILLIAMS_CONFIG, designStudyToFiles, simulateCrossover, simulateParallel } from "../../../src/lib/designs/simulate.js";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles } from "../../../src/lib/task/simulate.js";
import { validateStudyDir } from "../../../src/lib/study/load.js";

/** 4 participants (2 per sequence), HAM-D-17 + HAM-D-6, baseline/day1/day3; W01 and W03 are PN, W02 and W04 NP. */
function crossoverFiles(): StudyFiles {
  return designStudyToFiles(simulateCrossover({ ...WILLIAMS_CONFIG, perSequence: [2, 2] }));
}

/** 6 participants (4 ketamine, 2 midazolam), MADRS at baseline and 24h. */
function parallelFiles(): StudyFiles {
  return designStudyToFiles(simulateParallel({ ...MURROUGH_CONFIG, perArm: { ketamine: 4, midazolam: 2 }, missingPost: {} }));
}

function setLine(text: string, line: number, value: string): string {
  const lines = text.split("\n");
  lines[line - 1] = value;
  return lines.join("\n");
}

function editMeta(files: StudyFiles, edit: (meta: Record<string, unknown>) => void): StudyFiles {
  const meta = JSON.parse(files["study.json"]!);
  edit(meta);
  return { ...files, "study.json": JSON.stringify(meta, null, 2) };
}

function expectError(files: StudyFiles, expected: string) {
  const r = validateStudy(files);
  expect(r.ok).toBe(false);
  expect(r.study).toBeNull();
  expect(r.errors.map(formatIssue)).toContain(expected);
}

/** A study.json error names the line and column of its key. */
function expectErrorAt(files: StudyFiles, key: string, expected: string) {
  const text = files["study.json"]!;
  const i = text.indexOf(`"${key}"`);
  const line = i < 0 ? 1 : text.slice(0, i).split("\n").length;
  const column = i < 0 ? 1 : i - text.slice(0, i).lastIndexOf("\n");
  expectError(files, expected.replace("study.json (", `study.json:${line}:${column} (`));
}

function warnings(files: StudyFiles): string[] {
  const r = validateStudy(files);
  expect(r.errors.map(formatIssue)).toEqual([]);
  return r.warnings.map(formatIssue);
}

describe("valid crossover and parallel studies", () => {
  test("the bundled studies validate (Murrough: the one participant without a 24-h score is a warning)", async () => {
    const w = await validateStudyDir("data/williams2018-naltrexone");
    expect(w.errors).toEqual([]);
    expect(w.warnings).toEqual([]);
    expect(w.study!.meta).toMatchObject({ design: "crossover", conditions: ["placebo", "naltrexone"], groups: { reference: "placebo", treatment: "naltrexone" } });
    expect(w.study!.clinical[0]).toEqual({ participant_id: "W01", condition: "naltrexone", period: 1, session: "baseline", score: 24, secondary: { hamd6: 12 } });
    expect(w.study!.trials).toEqual([]);
    const m = await validateStudyDir("data/murrough2013-midazolam");
    expect(m.errors).toEqual([]);
    expect(m.warnings.map(formatIssue)).toEqual(['clinical.csv: participant "M72" has no MADRS score at "24h": left out of the analyses of that time point']);
    expect(m.study!.meta).toMatchObject({ design: "parallel", groups: { reference: "midazolam", treatment: "ketamine" }, response: { threshold: 0.5, session: "24h" } });
    expect(m.study!.clinical[0]).toEqual({ participant_id: "M01", session: "baseline", score: 24 });
  });
  test("no trials.csv is needed; one that is there is ignored with a warning", () => {
    const f = crossoverFiles();
    expect(f["trials.csv"]).toBeUndefined();
    expect(validateStudy(f).ok).toBe(true);
    f["trials.csv"] = "participant_id,session\n";
    expect(warnings(f)).toEqual(["trials.csv: not used by a crossover study (ignored)"]);
  });
  test("response defaults: threshold 0.5 at the first time point after the baseline", () => {
    const f = editMeta(parallelFiles(), (m) => delete m.response);
    expect(validateStudy(f).study!.meta.response).toEqual({ threshold: 0.5, session: "24h" });
  });
  test("a crossover study needs no groups", () => {
    const f = crossoverFiles();
    expect(JSON.parse(f["study.json"]!).groups).toBeUndefined();
    expect(validateStudy(f).ok).toBe(true);
  });
  test("belief-updating stays the default, and may be declared", () => {
    const files = studyToFiles(simulateStudy({ ...DEFAULT_CONFIG, nTreatment: 2, nReference: 2, seed: 7 }).study);
    const plain = validateStudy(files);
    expect(plain.ok).toBe(true);
    expect(plain.study!.meta.design).toBeUndefined();
    expect(plain.study!.clinical[0]).toEqual({ participant_id: "TRD01", session: "pre", score: expect.any(Number) });
    const declared = validateStudy(editMeta(files, (m) => (m.design = "belief-updating")));
    expect(declared.ok).toBe(true);
    expect(declared.study!.meta.design).toBe("belief-updating");
    // A belief-updating study still needs trials.csv.
    const noTrials: StudyFiles = { ...files };
    delete noTrials["trials.csv"];
    expectError(noTrials, "trials.csv: file is missing: expected trials.csv with columns participant_id, session, event_id, first_estimate, base_rate, second_estimate");
  });
  test("an error elsewhere in study.json does not make trials.csv required", () => {
    const f = editMeta(crossoverFiles(), (m) => (m.title = ""));
    const r = validateStudy(f);
    expect(r.errors.map(formatIssue)).toEqual([expect.stringMatching(/^study\.json:\d+:\d+ \(title\): expected a non-empty string, got ""$/)]);
  });
});

describe("study.json", () => {
  test("design must be one of the three", () => {
    const f = editMeta(crossoverFiles(), (m) => (m.design = "cross-over"));
    expectErrorAt(f, "design", 'study.json (design): expected "belief-updating", "crossover", "parallel" (default "belief-updating"), got "cross-over"');
  });
  test("crossover: two conditions", () => {
    const f = editMeta(crossoverFiles(), (m) => (m.conditions = ["placebo"]));
    expectErrorAt(f, "conditions", 'study.json (conditions): expected a list of the two conditions, reference first (for example ["placebo", "naltrexone"]), got ["placebo"]');
    const g = editMeta(crossoverFiles(), (m) => delete m.conditions);
    expectErrorAt(g, "conditions", 'study.json (conditions): expected a list of the two conditions, reference first (for example ["placebo", "naltrexone"]), got null');
  });
  test("crossover: two different conditions", () => {
    const f = editMeta(crossoverFiles(), (m) => (m.conditions = ["placebo", "placebo"]));
    expectErrorAt(f, "conditions", 'study.json (conditions): expected two different conditions, got "placebo" twice');
  });
  test("crossover: sequences are required", () => {
    const f = editMeta(crossoverFiles(), (m) => delete m.sequences);
    expectErrorAt(f, "sequences", 'study.json (sequences): expected the sequences (the group column of participants.csv) with their conditions in period order, for example {"AB": ["placebo","naltrexone"], "BA": ["naltrexone","placebo"]}, got null');
  });
  test("crossover: a sequence lists each condition once", () => {
    const f = editMeta(crossoverFiles(), (m) => ((m.sequences as Record<string, string[]>).NP = ["naltrexone", "naltrexone"]));
    expectErrorAt(f, "sequences", 'study.json (sequences): expected sequence "NP" to list each condition ("placebo", "naltrexone") once, in period order, got ["naltrexone","naltrexone"]');
  });
  test("crossover: sequences differ", () => {
    const f = editMeta(crossoverFiles(), (m) => ((m.sequences as Record<string, string[]>).NP = ["placebo", "naltrexone"]));
    expectErrorAt(f, "sequences", 'study.json (sequences): expected different orders, got "PN" and "NP" both ["placebo","naltrexone"]');
  });
  test("at least a baseline and one later time point", () => {
    const f = editMeta(parallelFiles(), (m) => {
      m.sessions = ["baseline"];
      delete m.response;
    });
    expectErrorAt(f, "sessions", 'study.json (sessions): expected at least two time points for a parallel study (the first is the baseline), got ["baseline"]');
  });
  test("parallel: the arms are the groups", () => {
    const f = editMeta(parallelFiles(), (m) => delete m.groups);
    expectErrorAt(f, "groups", 'study.json (groups): expected {"reference": "<control arm>", "treatment": "<active arm>"}, got null');
  });
  test("response threshold is a fraction", () => {
    const f = editMeta(parallelFiles(), (m) => (m.response = { threshold: 50 }));
    expectErrorAt(f, "response", "study.json (response.threshold): expected a fraction of the baseline score above 0 and at most 1 (0.5 = at least 50 % reduction), got 50");
  });
  test("response time point is after the baseline", () => {
    const f = editMeta(parallelFiles(), (m) => (m.response = { session: "baseline" }));
    expectErrorAt(f, "response", 'study.json (response.session): expected one of the time points after the baseline (24h), got "baseline"');
  });
  test("response is an object", () => {
    const f = editMeta(parallelFiles(), (m) => (m.response = 0.5));
    expectErrorAt(f, "response", 'study.json (response): expected {"threshold": 0.5, "session": "<time point>"} (both optional), got 0.5');
  });
  test("secondary scales: column, name and range", () => {
    const f = editMeta(crossoverFiles(), (m) => (m.secondary_scales = [{ column: "score", name: "HAM-D-6", min: 0, max: 22 }]));
    expectErrorAt(f, "secondary_scales", 'study.json (secondary_scales): expected {"column": "<clinical.csv column other than participant_id, session, score, condition, period>", "name": "<scale>", "min": <number>, "max": <number>} with min < max, got {"column":"score","name":"HAM-D-6","min":0,"max":22}');
    const g = editMeta(crossoverFiles(), (m) => (m.secondary_scales = { column: "hamd6" }));
    expectErrorAt(g, "secondary_scales", 'study.json (secondary_scales): expected a list of {"column": "hamd6", "name": "HAM-D-6", "min": 0, "max": 22}, got {"column":"hamd6"}');
  });
  test("secondary scales: each once", () => {
    const f = editMeta(crossoverFiles(), (m) => (m.secondary_scales = [{ column: "hamd6", name: "HAM-D-17", min: 0, max: 22 }]));
    expectErrorAt(f, "secondary_scales", 'study.json (secondary_scales): expected each scale once (columns and names differ from each other and from clinical_scale), got "hamd6" / "HAM-D-17" again');
  });
});

describe("participants.csv", () => {
  test("crossover: group is a declared sequence", () => {
    const f = crossoverFiles();
    f["participants.csv"] = setLine(f["participants.csv"]!, 2, "W01,AB,36,F,16");
    expectError(f, 'participants.csv:2:2 (group): expected one of the sequences declared in study.json ("PN", "NP"), got "AB"');
  });
  test("parallel: group is an arm", () => {
    const f = parallelFiles();
    f["participants.csv"] = setLine(f["participants.csv"]!, 2, "M01,placebo,40,M,14");
    expectError(f, 'participants.csv:2:2 (group): expected one of the groups declared in study.json ("midazolam", "ketamine"), got "placebo"');
  });
  test("every participant has scores", () => {
    const f = parallelFiles();
    f["participants.csv"] = f["participants.csv"]! + "M07,ketamine,40,F,12\n";
    expectError(f, 'participants.csv:8:1 (participant_id): participant "M07" has no scores in clinical.csv');
  });
});

describe("clinical.csv", () => {
  test("crossover: condition and period columns are required", () => {
    const f = crossoverFiles();
    f["clinical.csv"] = f["clinical.csv"]!.replace("participant_id,condition,period,", "participant_id,cond,period,");
    expectError(f, 'clinical.csv:1 (condition): missing required column "condition"; the header has "participant_id", "cond", "period", "session", "score", "hamd6"');
    delete f["clinical.csv"];
    expectError(f, "clinical.csv: file is missing: expected clinical.csv with columns participant_id, session, score, condition, period, hamd6");
  });
  test("a declared secondary scale is a required column", () => {
    const f = editMeta(parallelFiles(), (m) => (m.secondary_scales = [{ column: "qids", name: "QIDS", min: 0, max: 27 }]));
    expectError(f, 'clinical.csv:1 (qids): missing required column "qids"; the header has "participant_id", "session", "score"');
  });
  test("crossover: condition is declared", () => {
    const f = crossoverFiles();
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 2, "W01,saline,1,baseline,16,7");
    expectError(f, 'clinical.csv:2:2 (condition): expected one of the conditions declared in study.json ("placebo", "naltrexone"), got "saline"');
  });
  test("crossover: period is 1 or 2", () => {
    const f = crossoverFiles();
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 2, "W01,placebo,3,baseline,16,7");
    expectError(f, 'clinical.csv:2:3 (period): expected a period number from 1 to 2, got "3"');
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 2, "W01,placebo,1.5,baseline,16,7");
    expectError(f, 'clinical.csv:2:3 (period): expected a period number from 1 to 2, got "1.5"');
  });
  test("crossover: the period follows the participant's sequence (so each condition has its own period)", () => {
    const f = crossoverFiles();
    // W01 is in sequence PN: placebo in period 1, naltrexone in period 2.
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 5, "W01,naltrexone,1,baseline,16,7");
    expectError(f, 'clinical.csv:5:3 (period): expected period 2 for condition "naltrexone", as participant "W01" is in sequence "PN" (placebo, naltrexone), got "1"');
  });
  test("crossover: one score per participant, condition and time point", () => {
    const f = crossoverFiles();
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 3, "W01,placebo,1,baseline,16,7");
    expectError(f, 'clinical.csv:3: duplicate score: participant "W01", condition "placebo", session "baseline" already on line 2');
  });
  test("secondary scale within its range; an empty cell is allowed", () => {
    const f = crossoverFiles();
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 2, "W01,placebo,1,baseline,16,30");
    expectError(f, 'clinical.csv:2:6 (hamd6): expected a HAM-D-6 score from 0 to 22, got "30"');
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 2, "W01,placebo,1,baseline,16,");
    const r = validateStudy(f);
    expect(r.ok).toBe(true);
    expect(r.study!.clinical[0].secondary).toEqual({ hamd6: null });
  });
  test("primary scale within its range (the existing message)", () => {
    const f = crossoverFiles();
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 2, "W01,placebo,1,baseline,60,7");
    expectError(f, 'clinical.csv:2:5 (score): expected a HAM-D-17 score from 0 to 52, got "60"');
  });
});

describe("warnings: what the analyses will leave out", () => {
  test("crossover: a participant with one condition only", () => {
    const f = crossoverFiles();
    const lines = f["clinical.csv"]!.split("\n");
    f["clinical.csv"] = [...lines.slice(0, 4), ...lines.slice(7)].join("\n"); // W01 without naltrexone
    expect(warnings(f)).toEqual(['clinical.csv: participant "W01" has no scores under condition "naltrexone": kept in the mixed models, left out of the paired analyses (McNemar, carry-over)']);
  });
  test("crossover: a missing baseline and a missing later score", () => {
    const f = crossoverFiles();
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 2, "W01,placebo,1,baseline,,7");
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 7, "W01,naltrexone,2,day3,,5");
    expect(warnings(f)).toEqual([
      'clinical.csv: participant "W01" has no baseline HAM-D-17 score ("baseline") under condition "placebo": no change from baseline can be computed in this condition',
      'clinical.csv: participant "W01" has no HAM-D-17 score at "day3" under condition "naltrexone": left out of the analyses of that time point',
    ]);
  });
  test("parallel: a missing row counts as a missing score; a zero baseline", () => {
    const f = parallelFiles();
    const lines = f["clinical.csv"]!.split("\n");
    f["clinical.csv"] = [...lines.slice(0, 2), ...lines.slice(3)].join("\n"); // M01 without 24h
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 3, "M02,baseline,0");
    expect(warnings(f)).toEqual([
      'clinical.csv: participant "M01" has no MADRS score at "24h": left out of the analyses of that time point',
      'clinical.csv: participant "M02" has a baseline MADRS score of 0: the percent reduction and response are undefined',
    ]);
  });
});
