/**
 * belief-kit simulate [--out data/ketamine-trd] [--participants N] [--seed S]
 * belief-kit simulate --design crossover|parallel [--out DIR] [--participants N] [--seed S] [--calibrate N]
 * belief-kit simulate --all
 * belief-kit simulate --groups HC:20,MDD:25 [--sessions s1,s2] [--events 40] [--positive-events N] [--no-demographics] [--clinical NAME]
 *
 * Writes a synthetic study folder from the documented generative models (src/lib/task/simulate.ts for the
 * belief-updating design, src/lib/designs/simulate.ts for the crossover and parallel designs).
 * Without options it reproduces the bundled cohort data/ketamine-trd byte for byte; --design crossover
 * and --design parallel without --seed reproduce data/williams2018-naltrexone and data/murrough2013-midazolam;
 * --all rewrites the three bundled studies.
 * --participants N scales the cohort (belief-updating: both groups in the bundled 26:30 proportion;
 * crossover: split evenly over the sequences; parallel: 2:1) for large-cohort benchmarks.
 * --calibrate N (with --design) prints how the bundled seed was chosen from seeds 1..N and writes nothing.
 * What was written is reported on stderr; the calibration ranking is the output (stdout).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles, type SimulationConfig } from "../../lib/task/simulate.js";
import {
  MURROUGH_CONFIG,
  WILLIAMS_CONFIG,
  calibrateCrossover,
  calibrateParallel,
  designStudyToFiles,
  simulateCrossover,
  simulateParallel,
  type CrossoverSimConfig,
  type ParallelSimConfig,
} from "../../lib/designs/simulate.js";
import { simulateDesign, type DesignGroup } from "../../lib/task/simulate-design.js";
import type { Study } from "../../lib/study/types.js";
import { intFlag, stringFlag, UsageError, type ParsedArgs } from "../args.js";
import type { Command } from "../command.js";

const DESIGNS = ["belief-updating", "crossover", "parallel"] as const;
type Design = (typeof DESIGNS)[number];

async function write(out: string, files: Record<string, string>): Promise<void> {
  await mkdir(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(out, name), text);
}

function beliefUpdating(seed: number, total: number, outFlag: string | undefined): { out: string; study: Study; files: Record<string, string> } {
  let config: SimulationConfig = { ...DEFAULT_CONFIG, seed };
  if (total) {
    const nTreatment = Math.max(1, Math.round((total * DEFAULT_CONFIG.nTreatment) / (DEFAULT_CONFIG.nTreatment + DEFAULT_CONFIG.nReference)));
    config = {
      ...config,
      nTreatment,
      nReference: total - nTreatment,
      meta: {
        ...config.meta,
        id: `ketamine-trd-sim-${total}`,
        title: `Synthetic cohort of ${total} participants with the ketamine-trd design`,
      },
    };
  }
  const out = outFlag ?? (total || seed !== DEFAULT_CONFIG.seed ? `data/${config.meta.id}${seed !== DEFAULT_CONFIG.seed ? `-seed${seed}` : ""}` : "data/ketamine-trd");
  const { study } = simulateStudy(config);
  return { out, study, files: studyToFiles(study) };
}

function trialDesign(design: "crossover" | "parallel", seed: number | undefined, total: number, outFlag: string | undefined): { out: string; study: Study; files: Record<string, string>; seed: number } {
  let study: Study;
  let id: string;
  let usedSeed: number;
  if (design === "crossover") {
    let config: CrossoverSimConfig = { ...WILLIAMS_CONFIG, seed: seed ?? WILLIAMS_CONFIG.seed };
    if (total) {
      const k = config.perSequence.length;
      config = {
        ...config,
        perSequence: config.perSequence.map((_, i) => Math.floor(total / k) + (i < total % k ? 1 : 0)),
        meta: { ...config.meta, id: `${config.meta.id}-sim-${total}`, title: `Synthetic cohort of ${total} participants with the ${config.meta.id} design` },
      };
    }
    study = simulateCrossover(config);
    id = config.meta.id;
    usedSeed = config.seed;
  } else {
    let config: ParallelSimConfig = { ...MURROUGH_CONFIG, seed: seed ?? MURROUGH_CONFIG.seed };
    if (total) {
      const { reference, treatment } = config.meta.groups;
      const nT = Math.max(1, Math.round((2 * total) / 3));
      config = {
        ...config,
        perArm: { [treatment]: nT, [reference]: total - nT },
        meta: { ...config.meta, id: `${config.meta.id}-sim-${total}`, title: `Synthetic cohort of ${total} participants with the ${config.meta.id} design` },
      };
    }
    study = simulateParallel(config);
    id = config.meta.id;
    usedSeed = config.seed;
  }
  const defaultSeed = design === "crossover" ? WILLIAMS_CONFIG.seed : MURROUGH_CONFIG.seed;
  const out = outFlag ?? `data/${id}${usedSeed !== defaultSeed ? `-seed${usedSeed}` : ""}`;
  return { out, study, files: designStudyToFiles(study), seed: usedSeed };
}

/** The options of a study of one's own design (simulateDesign). */
const DESIGN_FLAGS = ["groups", "sessions", "events", "positive-events", "no-demographics", "clinical"] as const;

/** --groups HC:30,TRD:26 (reference first; a group may list its sessions: TRD:26:pre+post1). */
function parseGroups(value: string, sessions: string[]): DesignGroup[] {
  return value.split(",").map((part) => {
    const [label, n, only] = part.split(":");
    const count = Number(n);
    if (!label || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(label)) throw new UsageError(`--groups: ${JSON.stringify(part)}: expected LABEL:N (a label starting with a letter, e.g. HC:30)`);
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new UsageError(`--groups: ${JSON.stringify(part)}: expected a whole number of participants from 1 to 1000000 after the colon`);
    const own = only ? only.split("+") : undefined;
    const unknown = own?.filter((x) => !sessions.includes(x)) ?? [];
    if (unknown.length) throw new UsageError(`--groups: ${label}'s sessions ${unknown.join(", ")} are not among --sessions (${sessions.join(", ")})`);
    return { label, n: count, sessions: own };
  });
}

function ownDesign(args: ParsedArgs): { out: string; study: Study; files: Record<string, string>; seed: number } {
  const sessions = (stringFlag(args, "sessions") ?? "pre,post").split(",").map((x) => x.trim());
  if (sessions.some((x) => !/^[A-Za-z0-9_-]+$/.test(x)) || new Set(sessions).size !== sessions.length) throw new UsageError(`--sessions: expected distinct names of letters, digits, - or _, separated by commas, got ${JSON.stringify(stringFlag(args, "sessions"))}`);
  const groups = parseGroups(stringFlag(args, "groups") ?? "participants:30", sessions);
  const events = intFlag(args, "events", 40, 1, 1000);
  const positiveEvents = intFlag(args, "positive-events", 0, 0, events);
  const seed = intFlag(args, "seed", 1, 0);
  const scale = stringFlag(args, "clinical");
  const id = `sim-${groups.map((g) => `${g.label}${g.n}`).join("-")}-${sessions.length}s${positiveEvents ? `-${positiveEvents}pos` : ""}-seed${seed}`.toLowerCase();
  const { study } = simulateDesign({
    id,
    title: `Synthetic study: ${groups.map((g) => `${g.n} ${g.label}`).join(", ")}; sessions ${sessions.join(", ")}; ${events} events per session${positiveEvents ? ` (${positiveEvents} positive)` : ""} (synthetic cohort)`,
    seed,
    groups,
    sessions,
    eventsPerSession: events,
    positiveEvents,
    demographics: !args.flags.has("no-demographics"),
    clinical: scale ? { name: scale, min: 0, max: 60, baseline: { mean: 30, sd: 6 }, link: -10, changeSd: 5 } : undefined,
  });
  return { out: stringFlag(args, "out") ?? `data/${id}`, study, files: studyToFiles(study), seed };
}

function report(out: string, study: Study, seed: number): void {
  const trials = study.trials.length ? `${study.trials.length} trials, ` : "";
  process.stderr.write(`wrote ${out}: ${study.participants.length} participants, ${trials}${study.clinical.length} clinical scores (synthetic, seed ${seed})\n`);
}

export const command: Command = {
  name: "simulate",
  summary: "write a synthetic study folder; with no option it reproduces data/ketamine-trd byte for byte",
  description:
    "Simulates a cohort from the documented generative models (seeded, deterministic). --design crossover and --design parallel without --seed reproduce " +
    "data/williams2018-naltrexone and data/murrough2013-midazolam; --participants scales a cohort for large-study benchmarks. " +
    "What was written is reported on stderr.",
  positionals: [],
  options: [
    { name: "out", value: "DIR", default: "the bundled study's folder, or data/<id>-sim-<N>[-seed<S>] when scaled or reseeded", description: "folder to write (created if needed)" },
    { name: "participants", value: "N", default: `the bundled cohort (${DEFAULT_CONFIG.nTreatment + DEFAULT_CONFIG.nReference} for belief-updating, ${WILLIAMS_CONFIG.perSequence.reduce((a, b) => a + b, 0)} crossover, ${Object.values(MURROUGH_CONFIG.perArm).reduce((a, b) => a + b, 0)} parallel)`, description: "number of participants, in the bundled proportions of the groups" },
    { name: "seed", value: "S", default: `${DEFAULT_CONFIG.seed} (crossover ${WILLIAMS_CONFIG.seed}, parallel ${MURROUGH_CONFIG.seed})`, description: "random seed" },
    { name: "design", value: DESIGNS.join("|"), default: "belief-updating", description: "which design to simulate" },
    { name: "calibrate", value: "N", description: "with --design crossover|parallel: print how the bundled seed was chosen from seeds 1..N; writes nothing" },
    { name: "all", description: "rewrite the three bundled studies (takes no other option)" },
    { name: "groups", value: "G:N,…", description: "a study of one's own design: its groups, reference first, with their sizes (a group attending only some sessions: TRD:26:pre+post1)" },
    { name: "sessions", value: "a,b,…", default: "pre,post (with --groups)", description: "the sessions of a study of one's own design" },
    { name: "events", value: "N", default: "40", description: "events per session (own design)" },
    { name: "positive-events", value: "N", default: "0", description: "how many of each session's events are positive (desirable) events (own design)" },
    { name: "no-demographics", description: "leave age, sex and education out of participants.csv (own design)" },
    { name: "clinical", value: "NAME", description: "add clinical.csv with a 0-60 score of this name, whose change follows the change in asymmetry (own design)" },
  ],
  examples: [
    { command: "belief-kit simulate --participants 200 --out sim-200", note: "a cohort of 200 with the bundled design, in sim-200/" },
    { command: "belief-kit simulate --design crossover --seed 5 --out crossover-5", note: "a crossover study with another seed" },
    { command: "belief-kit simulate", note: "rewrites data/ketamine-trd, byte for byte the same" },
    { command: "belief-kit simulate --groups HC:20,MDD:25 --sessions s1,s2,s3 --positive-events 20 --clinical BDI --out sim-own", note: "a study of one's own design: two groups, three sessions, negative and positive events, a clinical score" },
    { command: "belief-kit simulate --design parallel --calibrate 50", note: "how the parallel study's seed was chosen (seeds 1..50 here; the kit used 1000)" },
  ],
  run,
};

async function run(args: ParsedArgs): Promise<void> {
  const designFlag = stringFlag(args, "design") ?? "belief-updating";
  if (!(DESIGNS as readonly string[]).includes(designFlag)) throw new UsageError(`--design expects one of ${DESIGNS.join(", ")}, got ${JSON.stringify(designFlag)}`);
  const design = designFlag as Design;

  if (args.flags.get("all")) {
    for (const other of ["design", "out", "participants", "seed", "calibrate"])
      if (args.flags.has(other)) throw new UsageError(`--all rewrites the three bundled studies and takes no other option (got --${other})`);
    const b = beliefUpdating(DEFAULT_CONFIG.seed, 0, undefined);
    await write(b.out, b.files);
    report(b.out, b.study, DEFAULT_CONFIG.seed);
    for (const d of ["crossover", "parallel"] as const) {
      const r = trialDesign(d, undefined, 0, undefined);
      await write(r.out, r.files);
      report(r.out, r.study, r.seed);
    }
    return;
  }

  if (args.flags.has("calibrate")) {
    if (design === "belief-updating") throw new UsageError("--calibrate needs --design crossover or --design parallel (the belief-updating cohort: belief-kit calibrate)");
    const n = intFlag(args, "calibrate", 1000, 1, 100_000);
    if (design === "crossover") {
      const ok = calibrateCrossover(n);
      process.stdout.write(
        `Seeds 1..${n} meeting the targets (7 of 12 responders under ${WILLIAMS_CONFIG.meta.conditions![0]} on day 1; naltrexone reduction smaller, p < 0.05, ` +
          `HAM-D-17 and HAM-D-6, days 1 and 3; no carry-over test below p = 0.10): ${ok.length}\n`,
      );
      for (const c of ok.slice(0, 10))
        process.stdout.write(`seed ${c.seed}: responders ${c.responders_reference}/${c.n} vs ${c.responders_other}/${c.n}; condition p ${Object.entries(c.condition_p).map(([k, p]) => `${k} ${p?.toExponential(1)}`).join(", ")}; min carry-over p ${c.min_carryover_p?.toFixed(2)}\n`);
      process.stdout.write(`bundled seed: ${WILLIAMS_CONFIG.seed} (the smallest that meets them)\n`);
    } else {
      const ranked = calibrateParallel(n);
      process.stdout.write(`Seeds 1..${n} ranked by |mean change - target| summed over the arms (targets ${Object.entries(MURROUGH_CONFIG.change).map(([a, c]) => `${a} ${Object.values(c)[0].mean}`).join(", ")}):\n`);
      for (const c of ranked.slice(0, 10))
        process.stdout.write(`seed ${c.seed}: ${Object.entries(c.mean_change).map(([a, m]) => `${a} ${m?.toFixed(2)} (n ${c.n[a]})`).join(", ")}; distance ${c.distance.toFixed(3)}\n`);
      process.stdout.write(`bundled seed: ${MURROUGH_CONFIG.seed}\n`);
    }
    return;
  }

  const own = DESIGN_FLAGS.filter((f) => args.flags.has(f));
  if (own.length) {
    if (args.flags.has("design") || args.flags.has("participants"))
      throw new UsageError(`--${own[0]} describes a study of one's own design; it does not combine with --design or --participants (give the groups' sizes in --groups)`);
    const r = ownDesign(args);
    await write(r.out, r.files);
    report(r.out, r.study, r.seed);
    return;
  }

  const total = intFlag(args, "participants", 0, 2, 1_000_000);
  if (design === "belief-updating") {
    const seed = intFlag(args, "seed", DEFAULT_CONFIG.seed, 0);
    const r = beliefUpdating(seed, total, stringFlag(args, "out"));
    await write(r.out, r.files);
    report(r.out, r.study, seed);
    return;
  }
  const seed = args.flags.has("seed") ? intFlag(args, "seed", 0, 0) : undefined;
  const r = trialDesign(design, seed, total, stringFlag(args, "out"));
  await write(r.out, r.files);
  report(r.out, r.study, r.seed);
}
