/** The command-line tools as a user runs them (the compiled bin, `belief-kit <command>`): exit codes, stdout/stderr, messages. */
import { describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function run(command: string, args: string[]) {
  const r = spawnSync(process.execPath, ["dist-cli/belief-kit.js", command, ...args], { encoding: "utf8", timeout: 120000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run validate", () => {
  test("exits 0 on the bundled study and prints its warnings", () => {
    const r = run("validate", ["data/ketamine-trd"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^data\/ketamine-trd: valid \(56 participants, 5520 trials, 138 clinical scores, \d+ warnings\)/);
  });
  test("exits 2 with file:line:column on an invalid study", () => {
    const r = run("validate", ["test/fixtures/studies/invalid-score"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('clinical.csv:2:3 (score): expected a MADRS score from 0 to 60, got "75"');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
  test("exits 2 on a missing folder", () => {
    const r = run("validate", ["no/such/folder"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("no/such/folder: no such folder\n");
  });
});

describe("npm run analyze", () => {
  test("--json prints one JSON document and nothing else on stdout", () => {
    const r = run("analyze", ["data/ketamine-trd", "--json", "--boot", "200"]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(["study", "options", "fits", "model_comparison", "warnings", "lmm", "mediation"]));
    expect(doc.study.synthetic).toBe(true);
    expect(doc.fits).toHaveLength(26 * 3 + 30 * 2);
    expect(doc.fits[0]).toEqual(expect.objectContaining({ participant_id: "TRD01", session: "pre", model: "valence" }));
    for (const k of ["alpha_good", "alpha_bad", "asymmetry", "n_good", "n_bad", "sigma", "loglik", "aic", "bic"]) expect(doc.fits[0]).toHaveProperty(k);
    expect(doc.lmm.fixed.map((f: { term: string }) => f.term)).toContain("groupTRD:sessionpost1:valencegood");
    expect(doc.mediation).toMatchObject({ group: "TRD", mediator: { from: "pre", to: "post1" }, outcome: { from: "pre", to: "post3" }, n: 26 });
    expect(doc.mediation.boot).toMatchObject({ resamples: 200, seed: 1 });
    expect(r.stdout).not.toMatch(/NaN/);
  });
  test("the readable report shows the published figures beside the computed ones", () => {
    const r = run("analyze", ["data/ketamine-trd", "--boot", "100"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("SYNTHETIC DATA");
    expect(r.stdout).toMatch(/TRD\s+post1\s+good\s+0\.\d{3}\s+0\.\d{3}\s+26\s+0\.51 \(0\.04\)/);
    expect(r.stdout).toContain("Published: a·b = -1 (SEM 0.66), z = -1.98, p = 0.04");
  });
  test("an unknown model exits 2 with a one-paragraph message", () => {
    const r = run("analyze", ["data/ketamine-trd", "--model", "bayes"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('invalid option: --model: expected one of single, valence, scaling-asymmetry, ee-weighted, vb-exp-asymmetry, vb-signed-asymmetry, vb-single, vb-ee-scaled, got "bayes"\n');
  });
  test("an invalid study exits 2 and lists the problem", () => {
    const r = run("analyze", ["test/fixtures/studies/invalid-score", "--json"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("is not a valid study folder (1 error)");
    expect(r.stderr).toContain('clinical.csv:2:3 (score): expected a MADRS score from 0 to 60, got "75"');
  });
  test("an unknown option exits 2", () => {
    const r = run("analyze", ["data/ketamine-trd", "--bootstrap", "5"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^unknown option --bootstrap; known options: /);
  });
});

describe("npm run simulate", () => {
  test("writes a study that validates, and refuses a bad number", () => {
    const out = join(mkdtempSync(join(tmpdir(), "buk-")), "sim");
    const r = run("simulate", ["--participants", "20", "--out", out]);
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["clinical.csv", "participants.csv", "study.json", "trials.csv"]);
    expect(JSON.parse(readFileSync(join(out, "study.json"), "utf8")).synthetic).toBe(true);
    expect(run("validate", [out]).status).toBe(0);
    const bad = run("simulate", ["--participants", "ten"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('--participants expects a whole number from 2 to 1000000, got "ten"\n');
  });
});

describe("crossover and parallel studies (docs/designs.md)", () => {
  test("analyze --json on the crossover study: design, outcomes with response, models and exact tests", () => {
    const r = run("analyze", ["data/williams2018-naltrexone", "--json"]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/NaN/);
    const doc = JSON.parse(r.stdout);
    expect(doc.design).toBe("crossover");
    expect(doc.study).toMatchObject({ id: "williams2018-naltrexone", synthetic: true, design: "crossover", conditions: ["placebo", "naltrexone"], n_participants: { PN: 6, NP: 6 } });
    expect(Object.keys(doc.outcomes)).toEqual(["per_participant", "summary", "response", "models", "mcnemar", "carryover"]);
    expect(doc.outcomes.response.map((x: { condition: string; responders: number; n: number }) => [x.condition, x.responders, x.n])).toEqual([["placebo", 7, 12], ["naltrexone", 1, 12]]);
    expect(doc.outcomes.response[0].rate).toBeCloseTo(7 / 12, 15);
    expect(doc.outcomes.models[0]).toMatchObject({ scale: "HAM-D-17", session: "day1", formula: "change ~ condition + period + (1 | participant_id)" });
    expect(doc.outcomes.models[0].fixed.map((x: { term: string }) => x.term)).toEqual(["(Intercept)", "conditionnaltrexone", "period2"]);
    expect(doc.outcomes.mcnemar).toMatchObject({ condition_a: "placebo", condition_b: "naltrexone", n_pairs: 12, b: 6, c: 0 });
    expect(doc.outcomes.mcnemar.p).toBeCloseTo(2 / 2 ** 6, 14); // 2 P(X <= 0), X ~ Bin(6, 1/2)
    expect(doc.outcomes.carryover).toHaveLength(4);
    expect(doc.outcomes.per_participant).toHaveLength(144);
    expect(doc.published.figures.length).toBeGreaterThan(0);
  });
  test("analyze on the parallel study: a readable report with the ANCOVA and Fisher's test", () => {
    const r = run("analyze", ["data/murrough2013-midazolam"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("SYNTHETIC DATA");
    expect(r.stdout).toContain("ANCOVA (OLS), MADRS at 24h: score ~ arm + baseline");
    expect(r.stdout).toMatch(/Fisher's exact test \(ketamine vs midazolam\): p = 0\.\d{3}/);
    const j = JSON.parse(run("analyze", ["data/murrough2013-midazolam", "--json"]).stdout);
    expect(Object.keys(j.outcomes)).toEqual(["per_participant", "summary", "response", "models", "fisher", "ancova"]);
    expect(j.outcomes.response.map((x: { condition: string; n: number; missing: number }) => [x.condition, x.n, x.missing])).toEqual([["midazolam", 25, 0], ["ketamine", 47, 1]]);
  });
  test("analyze refuses belief-updating options on a crossover study", () => {
    const r = run("analyze", ["data/williams2018-naltrexone", "--model", "single"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("--model: this option applies to belief-updating studies; data/williams2018-naltrexone is a crossover study (only --json applies)\n");
  });
  test("validate and simulate --design", () => {
    expect(run("validate", ["data/williams2018-naltrexone"]).status).toBe(0);
    const out = join(mkdtempSync(join(tmpdir(), "buk-")), "cross");
    const r = run("simulate", ["--design", "crossover", "--seed", "5", "--out", out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`wrote ${out}: 12 participants, 72 clinical scores (synthetic, seed 5)\n`);
    expect(readdirSync(out).sort()).toEqual(["clinical.csv", "participants.csv", "study.json"]);
    expect(run("validate", [out]).status).toBe(0);
    const bad = run("simulate", ["--design", "factorial"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('--design expects one of belief-updating, crossover, parallel, got "factorial"\n');
  });
});

describe("npm run validate on a trial design", () => {
  test("names the design and counts no trials", () => {
    const r = run("validate", ["data/williams2018-naltrexone"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^data\/williams2018-naltrexone: valid crossover study \(12 participants, \d+ clinical scores, \d+ warnings?\)/);
  });
});

describe("stdout holds the output, stderr the rest", () => {
  const shell = (line: string) => {
    // As from a user's shell: without the npm_* variables of the npm that may be running these tests.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    return spawnSync("sh", ["-c", line], { encoding: "utf8", env, timeout: 120000 });
  };
  test("npm run analyze -- <dir> --json > file is one JSON document, as is the bin's stdout (npm's banner is kept out by .npmrc)", () => {
    const dir = mkdtempSync(join(tmpdir(), "buk-"));
    const r = shell(`npm run analyze -- data/ketamine-trd --json --boot 200 > ${dir}/a.json`);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(dir, "a.json"), "utf8");
    expect(text.startsWith("{\n")).toBe(true);
    const viaNpm = JSON.parse(text);
    const viaBin = JSON.parse(run("analyze", ["data/ketamine-trd", "--json", "--boot", "200"]).stdout);
    expect(viaNpm).toEqual(viaBin);
    const silent = shell("npm run --silent analyze -- data/ketamine-trd --json --boot 200");
    expect(JSON.parse(silent.stdout)).toEqual(viaBin);
  });
  test("a failing npm run says the command's message only, with its exit status", () => {
    const r = shell("npm run analyze -- data/ketamine-trd --model bayes");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe('invalid option: --model: expected one of single, valence, scaling-asymmetry, ee-weighted, vb-exp-asymmetry, vb-signed-asymmetry, vb-single, vb-ee-scaled, got "bayes"\n');
  });
  test("figures: nothing on stdout, what was written on stderr; an unknown figure exits 2 and writes nothing", () => {
    const out = join(mkdtempSync(join(tmpdir(), "buk-")), "figs");
    const r = run("figures", ["data/ketamine-trd", "--figures", "updates", "--format", "svg", "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^wrote .*updates\.svg/m);
    expect(readdirSync(out).sort()).toEqual(["updates.json", "updates.svg"]);
    const bad = run("figures", ["--figures", "updates,pie", "--out", `${out}-bad`]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^--figures: unknown figure "pie"; known: updates, /);
    expect(existsSync(`${out}-bad`)).toBe(false);
  });
  test("simulate reports on stderr and prints nothing on stdout", () => {
    const out = join(mkdtempSync(join(tmpdir(), "buk-")), "sim");
    const r = run("simulate", ["--participants", "10", "--seed", "3", "--out", out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^wrote .*: 10 participants, \d+ trials, \d+ clinical scores \(synthetic, seed 3\)\n$/);
  });
  test("--timings reports the phases of the whole process on stderr, leaving stdout to the JSON", () => {
    const r = run("analyze", ["data/ketamine-trd", "--json", "--boot", "100", "--timings"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).mediation.boot.resamples).toBe(100);
    expect(r.stderr).toMatch(/^timings \(ms since the process started: \d+\):\n {2}node start and loading the modules +\d+ ms\n {2}read the study folder +\d+ ms\n {2}parse and validate +\d+ ms\n {2}analysis +\d+ ms\n/);
  });
});

describe("belief-kit lmm", () => {
  const ref = JSON.parse(readFileSync("test/fixtures/lmm/general/reference.json", "utf8")) as { cases: { name: string; formula: string; fixed: { term: string; estimate: number; se: number; df: number }[]; anova: { term: string; type: number; F: number; den_df: number }[]; varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number }[]; reml_criterion: number }[] };
  test("--json on lme4's sleepstudy with a random slope gives lmerTest's numbers", () => {
    const r = run("lmm", ["test/fixtures/lmm/general/sleepstudy.csv", "--formula", "Reaction ~ Days + (Days | Subject)", "--factor", "Subject", "--json"]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    const R = ref.cases.find((c) => c.name === "sleep_slope")!;
    expect(doc.reml_criterion).toBeCloseTo(R.reml_criterion, 6);
    for (const f of R.fixed) {
      const k = doc.fixed.find((x: { term: string }) => x.term === f.term);
      expect(Math.abs(k.estimate - f.estimate) / Math.abs(f.estimate)).toBeLessThan(1e-6);
      expect(Math.abs(k.se - f.se) / f.se).toBeLessThan(1e-5);
      expect(Math.abs(k.df - f.df)).toBeLessThan(1e-3);
    }
    expect(doc.varcorr.map((v: { grp: string; var1: string | null; var2: string | null }) => [v.grp, v.var1, v.var2])).toEqual(R.varcorr.map((v) => [v.grp, v.var1, v.var2]));
    expect(doc.anova.map((a: { type: number }) => a.type)).toEqual([3, 2]);
  });
  test("the readable report lists the random effects, the coefficients and both F tables", () => {
    const r = run("lmm", ["test/fixtures/lmm/general/sleepstudy.csv", "--formula", "Reaction ~ Days + (Days || Subject)", "--factor", "Subject"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Linear mixed model fit by REML, Satterthwaite df: Reaction ~ Days \+ \(/);
    expect(r.stdout).toContain("Random effects");
    expect(r.stdout).toContain("Type III F tests");
    expect(r.stdout).toContain("Type II F tests");
  });
  test("a formula naming an unknown column, or no formula, exits 2 with a message naming the problem", () => {
    const bad = run("lmm", ["test/fixtures/lmm/general/sleepstudy.csv", "--formula", "Reaction ~ Dayz + (1 | Subject)"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown column 'Dayz'");
    expect(bad.stderr).not.toMatch(/at .*\.(ts|js):\d+/);
    const none = run("lmm", ["test/fixtures/lmm/general/sleepstudy.csv"]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("--formula is required");
  });
});

describe("belief-kit simulate with a design of one's own", () => {
  test("writes the groups, sessions, positive events and clinical score asked for, marked synthetic", () => {
    const out = join(mkdtempSync(join(tmpdir(), "sim-own-")), "study");
    const r = run("simulate", ["--groups", "HC:6,MDD:8:s1+s2", "--sessions", "s1,s2,s3", "--events", "10", "--positive-events", "4", "--clinical", "BDI", "--out", out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    const meta = JSON.parse(readFileSync(join(out, "study.json"), "utf8"));
    expect(meta.synthetic).toBe(true);
    expect(meta.sessions).toEqual(["s1", "s2", "s3"]);
    expect(meta.groups).toEqual({ reference: "HC", treatment: "MDD" });
    expect(meta.clinical_scale.name).toBe("BDI");
    const trials = readFileSync(join(out, "trials.csv"), "utf8").trim().split("\n");
    // 6 HC x 3 sessions + 8 MDD x 2 sessions, 10 events each.
    expect(trials.length - 1).toBe((6 * 3 + 8 * 2) * 10);
    const events = readFileSync(join(out, "events.csv"), "utf8");
    // Sessions alternate the event lists (s1 and s3 share theirs): 4 positive events in each of two lists.
    expect(events.match(/positive/g)!.length).toBe(4 * 2);
    const v = run("validate", [out]);
    expect(v.status).toBe(0);
  });
  test("a bad group exits 2 and names it", () => {
    const r = run("simulate", ["--groups", "HC:0", "--out", join(tmpdir(), "never")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--groups: "HC:0": expected a whole number of participants');
  });
});

describe("belief-kit analyze: the options of the Bayesian models and of the design", () => {
  test("--model vb-single --bmc --boot 0 reports the fits, the prior and the model selection", () => {
    const r = run("analyze", ["data/ketamine-trd", "--model", "vb-single", "--bmc", "--boot", "0", "--json"]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.options.prior.params).toEqual(["a"]);
    expect(doc.fits[0].method).toBe("vb");
    const pxp = doc.model_selection.overall.protected_exceedance as Record<string, number>;
    expect(Object.values(pxp).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
  test("--prior FILE is validated against the model, with a message naming the fault", () => {
    const dir = mkdtempSync(join(tmpdir(), "prior-"));
    const file = join(dir, "prior.json");
    writeFileSync(file, JSON.stringify({ mean: [0, 0], covariance: [[1, 0], [0, 1]], precision_shape: 1, precision_rate: 1 }));
    const r = run("analyze", ["data/ketamine-trd", "--model", "vb-single", "--prior", file, "--boot", "0"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("mean has 2 entries, expected 1");
    const ls = run("analyze", ["data/ketamine-trd", "--prior", file]);
    expect(ls.status).toBe(2);
    expect(ls.stderr).toContain("a prior of one's own applies to a Bayesian model");
  });
  test("--random-effects slope puts a valence slope in the mixed model; a bad --news-reference exits 2", () => {
    const r = run("analyze", ["data/ketamine-trd", "--random-effects", "slope", "--boot", "0", "--json"]);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.lmm.formula).toContain("(1 + valence | participant_id)");
    expect(doc.lmm.varcorr.map((v: { var1: string | null }) => v.var1)).toContain("valencegood");
    const bad = run("analyze", ["data/ketamine-trd", "--news-reference", "ebr"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--news-reference/);
  });
});
