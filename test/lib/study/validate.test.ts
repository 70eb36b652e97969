import { describe, expect, test } from "vitest";
import { formatIssue, validateStudy, type StudyFiles } from "../../../src/lib/study/validate/index.js";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles } from "../../../src/lib/task/simulate.js";

/** A small valid study: 3 + 3 participants, the bundled design. */
function validFiles(): StudyFiles {
  return studyToFiles(simulateStudy({ ...DEFAULT_CONFIG, nTreatment: 3, nReference: 3, seed: 7 }).study);
}

/** Replace 1-based line `line` of a file. */
function setLine(text: string, line: number, value: string): string {
  const lines = text.split("\n");
  lines[line - 1] = value;
  return lines.join("\n");
}

function messages(files: StudyFiles): string[] {
  return validateStudy(files).errors.map(formatIssue);
}

/** A study.json error must name the line and column of its key. */
function expectErrorAt(files: StudyFiles, key: string, expected: string) {
  const text = files["study.json"]!;
  const i = text.indexOf(`"${key}"`);
  const line = i < 0 ? 1 : text.slice(0, i).split("\n").length;
  const column = i < 0 ? 1 : i - text.slice(0, i).lastIndexOf("\n");
  expectError(files, expected.replace("study.json (", `study.json:${line}:${column} (`));
}

function expectError(files: StudyFiles, expected: string) {
  const r = validateStudy(files);
  expect(r.ok).toBe(false);
  expect(r.study).toBeNull();
  expect(r.errors.map(formatIssue)).toContain(expected);
}

describe("a valid study", () => {
  test("passes and keeps every row", () => {
    const files = validFiles();
    const r = validateStudy(files);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.study!.participants).toHaveLength(6);
    expect(r.study!.trials).toHaveLength(3 * 3 * 40 + 3 * 2 * 40);
  });
  test("keeps extra columns of participants.csv verbatim", () => {
    const files = validFiles();
    const lines = files["participants.csv"]!.split("\n");
    files["participants.csv"] = lines.map((l, i) => (l === "" ? l : l + (i === 0 ? ",site" : ",Paris"))).join("\n");
    const r = validateStudy(files);
    expect(r.ok).toBe(true);
    expect(r.study!.participants[0].extra).toEqual({ site: "Paris" });
  });
});

describe("study.json", () => {
  test("missing file", () => {
    const f = validFiles();
    delete f["study.json"];
    expectError(f, "study.json: file is missing: every study folder needs study.json (see README, The study folder format)");
  });
  test("invalid JSON names line and column", () => {
    const f = validFiles();
    f["study.json"] = '{\n  "id": "x",\n  "title": oops\n}';
    const m = messages(f);
    expect(m[0]).toMatch(/^study\.json:3:\d+: expected valid JSON: /);
  });
  test("synthetic must be a boolean", () => {
    const f = validFiles();
    f["study.json"] = f["study.json"]!.replace('"synthetic": true', '"synthetic": "yes"');
    expectErrorAt(f, 'synthetic', 'study.json (synthetic): expected true or false (is the cohort simulated?), got "yes"');
  });
  test("groups need a reference label", () => {
    const f = validFiles();
    const meta = JSON.parse(f["study.json"]!);
    meta.groups = { treatment: "TRD" };
    f["study.json"] = JSON.stringify(meta);
    expectErrorAt(f, 'groups', 'study.json (groups): expected {"reference": "<label>"}, {"reference": "<label>", "treatment": "<label>"} or a list of labels, got {"treatment":"TRD"}');
  });
  test("groups: an unknown key is named, with how to write three groups", () => {
    const f = validFiles();
    const meta = JSON.parse(f["study.json"]!);
    meta.groups = { reference: "HC", treatment: "TRD", other: "BD" };
    f["study.json"] = JSON.stringify(meta);
    expectErrorAt(f, 'groups', 'study.json (groups): unknown key "other" in groups (expected reference and optionally treatment; three or more groups are a list such as ["HC", "MDD", "TRD"])');
  });
  test("groups: a list needs different labels", () => {
    const f = validFiles();
    const meta = JSON.parse(f["study.json"]!);
    meta.groups = ["HC", "TRD", "HC"];
    f["study.json"] = JSON.stringify(meta);
    expectErrorAt(f, 'groups', 'study.json (groups): expected different group labels, got ["HC","TRD","HC"]');
  });
  test("sessions must be unique", () => {
    const f = validFiles();
    const meta = JSON.parse(f["study.json"]!);
    meta.sessions = ["pre", "pre"];
    f["study.json"] = JSON.stringify(meta);
    expectErrorAt(f, 'sessions', 'study.json (sessions): expected unique session ids, got ["pre","pre"]');
  });
  test("clinical scale needs min < max", () => {
    const f = validFiles();
    const meta = JSON.parse(f["study.json"]!);
    meta.clinical_scale = { name: "MADRS", min: 60, max: 0 };
    f["study.json"] = JSON.stringify(meta);
    expectErrorAt(f, 'clinical_scale', 'study.json (clinical_scale): expected {"name": "MADRS", "min": 0, "max": 60} with min < max, got {"name":"MADRS","min":60,"max":0}');
  });
  test("id must be usable in a path", () => {
    const f = validFiles();
    f["study.json"] = f["study.json"]!.replace('"id": "ketamine-trd"', '"id": "../etc"');
    expectErrorAt(f, 'id', 'study.json (id): expected letters, digits, ".", "_" or "-" (it names the folder and URLs), got "../etc"');
  });
});

describe("CSV structure", () => {
  test("missing file", () => {
    const f = validFiles();
    delete f["trials.csv"];
    expectError(f, "trials.csv: file is missing: expected trials.csv with columns participant_id, session, event_id, first_estimate, base_rate, second_estimate");
  });
  test("missing required column", () => {
    const f = validFiles();
    f["trials.csv"] = f["trials.csv"]!.replace("base_rate", "baserate");
    expectError(f, 'trials.csv:1 (base_rate): missing required column "base_rate"; the header has "participant_id", "session", "event_id", "first_estimate", "baserate", "second_estimate"');
  });
  test("duplicate header column", () => {
    const f = validFiles();
    f["clinical.csv"] = f["clinical.csv"]!.replace("participant_id,session,score", "participant_id,session,score,score");
    expectError(f, 'clinical.csv:1:4 (score): column "score" appears twice in the header');
  });
  test("wrong number of fields", () => {
    const f = validFiles();
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 3, "TRD01,post1");
    expectError(f, "clinical.csv:3: expected 3 fields as in the header, got 2");
  });
});

describe("participants.csv", () => {
  test("empty id", () => {
    const f = validFiles();
    f["participants.csv"] = setLine(f["participants.csv"]!, 2, ",TRD,50,F,12");
    expectError(f, "participants.csv:2:1 (participant_id): expected a participant id, got an empty cell");
  });
  test("duplicate participant", () => {
    const f = validFiles();
    f["participants.csv"] = setLine(f["participants.csv"]!, 3, "TRD01,TRD,50,F,12");
    expectError(f, 'participants.csv:3:1 (participant_id): participant "TRD01" is listed twice');
  });
  test("undeclared group", () => {
    const f = validFiles();
    f["participants.csv"] = setLine(f["participants.csv"]!, 2, "TRD01,Patients,50,F,12");
    expectError(f, 'participants.csv:2:2 (group): expected one of the groups declared in study.json ("HC", "TRD"), got "Patients"');
  });
  test("implausible age", () => {
    const f = validFiles();
    f["participants.csv"] = setLine(f["participants.csv"]!, 2, "TRD01,TRD,520,F,12");
    expectError(f, 'participants.csv:2:3 (age): expected an age in years from 10 to 110 (or an empty cell: unknown), got "520"');
  });
  test("education not a number", () => {
    const f = validFiles();
    f["participants.csv"] = setLine(f["participants.csv"]!, 2, "TRD01,TRD,50,F,twelve");
    expectError(f, 'participants.csv:2:5 (education_years): expected years of education from 0 to 40 (or an empty cell: unknown), got "twelve"');
  });
  test("an empty demographic cell is unknown, never 0", () => {
    const f = validFiles();
    f["participants.csv"] = setLine(f["participants.csv"]!, 2, "TRD01,TRD,,,");
    const r = validateStudy(f);
    expect(r.errors).toEqual([]);
    expect(r.study!.participants.find((p) => p.participant_id === "TRD01")).toMatchObject({ age: null, sex: null, education_years: null });
  });
});

describe("trials.csv", () => {
  test("undeclared participant", () => {
    const f = validFiles();
    f["trials.csv"] = setLine(f["trials.csv"]!, 2, "TRD99,pre,A01,40,30,35");
    expectError(f, 'trials.csv:2:1 (participant_id): participant "TRD99" is not declared in participants.csv');
  });
  test("undeclared session", () => {
    const f = validFiles();
    f["trials.csv"] = setLine(f["trials.csv"]!, 2, "TRD01,week9,A01,40,30,35");
    expectError(f, 'trials.csv:2:2 (session): expected one of the sessions declared in study.json (pre, post1, post3), got "week9"');
  });
  test("empty event id", () => {
    const f = validFiles();
    f["trials.csv"] = setLine(f["trials.csv"]!, 2, "TRD01,pre,,40,30,35");
    expectError(f, "trials.csv:2:3 (event_id): expected an event id, got an empty cell");
  });
  test("duplicate trial", () => {
    const f = validFiles();
    f["trials.csv"] = setLine(f["trials.csv"]!, 3, "TRD01,pre,A01,40,30,35");
    const first = f["trials.csv"]!.split("\n").findIndex((l) => l.startsWith("TRD01,pre,A01,")) + 1;
    expectError(f, `trials.csv:3: duplicate trial: participant "TRD01", session "pre", event "A01" already on line ${first}`);
  });
  test("an estimate that is not a number", () => {
    const f = validFiles();
    f["trials.csv"] = setLine(f["trials.csv"]!, 57, "TRD02,pre,A16,40,30,1O5");
    expectError(f, 'trials.csv:57:6 (second_estimate): expected a number from 0 to 100, got "1O5"');
  });
  test("an estimate out of range", () => {
    const f = validFiles();
    f["trials.csv"] = setLine(f["trials.csv"]!, 2, "TRD01,pre,A01,140,30,35");
    expectError(f, 'trials.csv:2:4 (first_estimate): expected a number from 0 to 100, got "140"');
  });
  test("a decimal comma in a comma-separated file is rejected with a hint", () => {
    const f = validFiles();
    f["trials.csv"] = setLine(f["trials.csv"]!, 2, 'TRD01,pre,A01,"0,35",30,35');
    expectError(f, 'trials.csv:2:4 (first_estimate): expected a number from 0 to 100, got "0,35" (a decimal comma? write "0.35", or save the file separated by semicolons)');
  });
  test("a decimal comma in a semicolon-separated file is read as a decimal", () => {
    const f = validFiles();
    const lines = f["trials.csv"]!.split("\n").map((l) => l.replace(/,/g, ";"));
    lines[1] = "TRD01;pre;A01;12,5;30;20,25";
    f["trials.csv"] = lines.join("\n");
    const r = validateStudy(f);
    expect(r.errors).toEqual([]);
    expect(r.study!.trials[0]).toMatchObject({ first_estimate: 12.5, base_rate: 30, second_estimate: 20.25 });
  });
  test("an empty estimate is a missed response, not an error", () => {
    const f = validFiles();
    f["trials.csv"] = setLine(f["trials.csv"]!, 2, "TRD01,pre,A01,40,30,");
    const r = validateStudy(f);
    expect(r.ok).toBe(true);
    expect(r.study!.trials[0].second_estimate).toBeNull();
  });
  test("a participant without any trial", () => {
    const f = validFiles();
    f["trials.csv"] = f["trials.csv"]!.split("\n").filter((l) => !l.startsWith("HC01,")).join("\n");
    const line = f["participants.csv"]!.split("\n").findIndex((l) => l.startsWith("HC01,")) + 1;
    expectError(f, `participants.csv:${line}:1 (participant_id): participant "HC01" has no trials in trials.csv`);
  });
});

describe("clinical.csv", () => {
  test("score outside the scale", () => {
    const f = validFiles();
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 2, "TRD01,pre,75");
    expectError(f, 'clinical.csv:2:3 (score): expected a MADRS score from 0 to 60, got "75"');
  });
  test("duplicate score", () => {
    const f = validFiles();
    f["clinical.csv"] = setLine(f["clinical.csv"]!, 3, "TRD01,pre,30");
    expectError(f, 'clinical.csv:3: duplicate score: participant "TRD01", session "pre" already on line 2');
  });
});

describe("collection", () => {
  test("all errors are collected, capped, with a count of the rest", () => {
    const f = validFiles();
    f["trials.csv"] = f["trials.csv"]!.replace(/,pre,/g, ",before,");
    const r = validateStudy(f, { maxErrors: 10 });
    expect(r.errors).toHaveLength(10);
    expect(r.moreErrors).toBe(6 * 40 - 10);
  });
  test("warnings do not fail: thin valence and a missing session", () => {
    const f = validFiles();
    // Remove TRD01's post3 session, which other TRD participants have.
    f["trials.csv"] = f["trials.csv"]!.split("\n").filter((l) => !l.startsWith("TRD01,post3,")).join("\n");
    // Make TRD02 pre all good news: base rate below every first estimate.
    f["trials.csv"] = f["trials.csv"]!.split("\n").map((l) => (l.startsWith("TRD02,pre,") ? l.replace(/^(TRD02,pre,\w+),(\d+),(\d+),/, (_, a, e1) => `${a},${e1},0,`) : l)).join("\n");
    const r = validateStudy(f);
    expect(r.ok).toBe(true);
    const w = r.warnings.map(formatIssue);
    expect(w).toContain('trials.csv: participant "TRD01" has no trials in session "post3", which others of group "TRD" have');
    expect(w).toContain('trials.csv: participant "TRD02", session "pre": only 0 scorable bad-news trials (fewer than 10)');
  });
});

describe("hostile and huge files fail fast with a message", () => {
  test("a file over the size limit", () => {
    const f = validFiles();
    const r = validateStudy(f, { maxFileBytes: 1000 });
    expect(r.errors.map(formatIssue)).toContain("trials.csv:1: file is 0 MB; the kit reads files up to 0 MB (split the study, or aggregate trials first)");
  });
  test("a million columns", () => {
    const f = validFiles();
    f["clinical.csv"] = Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(",") + "\n1,2\n";
    const t0 = Date.now();
    expect(messages(f)).toContain("clinical.csv:1: cannot be read: the header has 1,000,000 columns; at most 500 are read");
    expect(Date.now() - t0).toBeLessThan(5000);
  });
  test("an unclosed quote swallowing the file", () => {
    const f = validFiles();
    f["trials.csv"] = f["trials.csv"]!.replace("TRD01,pre,A01,", 'TRD01,pre,"A01,') + "x\n".repeat(60_000);
    expect(messages(f)).toContain("trials.csv:2: cannot be read: the record starting on line 2 is longer than 100,000 characters (an unclosed quote?)");
  });
  test("progress is reported while checking trials", () => {
    const calls: [string, number, number][] = [];
    validateStudy(validFiles(), { onProgress: (file, done, total) => calls.push([file, done, total]) });
    expect(calls[0]).toEqual(["trials.csv", 0, 600]);
    expect(calls[calls.length - 1]).toEqual(["trials.csv", 600, 600]);
  });
});
