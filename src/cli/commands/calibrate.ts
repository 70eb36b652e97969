/**
 * How the seed of the bundled synthetic cohort was chosen: simulate the cohort with every seed in
 * 1..N (default 1000), compute the published summary statistics with quick closed forms, and print
 * the seeds closest to Bottemanne et al. (2022), one JSON line per seed. Usage: belief-kit calibrate [N]
 */
import { simulateStudy, DEFAULT_CONFIG } from "../../lib/task/simulate.js";
import { groupByParticipantSession } from "../../lib/task/scoring.js";
import { scoreTrials } from "../../lib/task/columnar.js";
import { Matrix, inverse } from "ml-matrix";
import { updateCells } from "../../lib/task/summary.js";
import { fitLmm } from "../../lib/lmm/index.js";
import { UsageError } from "../args.js";
import type { Command } from "../command.js";
const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const sd = (a: number[]) => { const m = mean(a); return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / (a.length - 1)); };
function stats(seed: number) {
  const { study } = simulateStudy({ ...DEFAULT_CONFIG, seed });
  const { trials } = scoreTrials(study.trials);
  const groupOf = new Map(study.participants.map((p) => [p.participant_id, p.group]));
  const fits = new Map<string, any>();
  for (const g of groupByParticipantSession(trials)) {
    const r: any = { group: groupOf.get(g.participant_id), session: g.session };
    for (const v of ["good", "bad"]) { let num = 0, den = 0, up = 0, n = 0; for (const t of g.trials) if (t.valence === v) { num += (t.e2 - t.e1) * (t.br - t.e1); den += (t.br - t.e1) ** 2; up += t.update; n++; } r[v] = num / den; r["u" + v] = up / n; }
    fits.set(g.participant_id + "|" + g.session, r);
  }
  const F = [...fits.values()];
  const sel = (g: string, s: string) => F.filter((x) => x.group === g && x.session === s);
  const pt = (g: string, s: string) => { const d = sel(g, s).map((x) => x.good - x.bad); return mean(d) / (sd(d) / Math.sqrt(d.length)); };
  const cell = (g: string, s: string, v: string) => mean(sel(g, s).map((x) => x["u" + v]));
  const did = (cell("TRD", "post1", "good") - cell("TRD", "post1", "bad") - cell("TRD", "pre", "good") + cell("TRD", "pre", "bad")) - (cell("HC", "post1", "good") - cell("HC", "post1", "bad") - cell("HC", "pre", "good") + cell("HC", "pre", "bad"));
  const clin = new Map(study.clinical.map((c) => [c.participant_id + "|" + c.session, c.score!]));
  const trd = study.participants.filter((p) => p.group === "TRD").map((p) => p.participant_id);
  const A = (id: string, s: string) => { const f = fits.get(id + "|" + s); return f.good - f.bad; };
  const dM = trd.map((id) => A(id, "post1") - A(id, "pre")), mbar = trd.map((id) => (A(id, "post1") + A(id, "pre")) / 2), dY = trd.map((id) => clin.get(id + "|post3")! - clin.get(id + "|pre")!);
  const a = mean(dM); const mm = mean(mbar);
  const X = new Matrix(trd.map((_, i) => [1, dM[i], mbar[i] - mm])); const y = Matrix.columnVector(dY);
  const XtXi = inverse(X.transpose().mmul(X)); const beta = XtXi.mmul(X.transpose()).mmul(y);
  const res = y.sub(X.mmul(beta)); const s2 = res.transpose().mmul(res).get(0, 0) / (trd.length - 3);
  const b = beta.get(1, 0), seb = Math.sqrt(s2 * XtXi.get(1, 1)), sea = sd(dM) / Math.sqrt(dM.length);
  const sob = Math.sqrt(a * a * seb * seb + b * b * sea * sea);
  const demo = new Map(study.participants.map((p) => [p.participant_id, p]));
  const rows = updateCells(trials, study.participants)
    .filter((c) => c.session === "pre" || c.session === "post1")
    .map((c) => ({ ...c, age: demo.get(c.participant_id)!.age, education: demo.get(c.participant_id)!.education_years }));
  const lmm = fitLmm(rows, "update ~ group * session * valence + age + education + (1 | participant_id)", {
    factors: { group: ["HC", "TRD"], session: ["pre", "post1"], valence: ["bad", "good"] },
  });
  const tlmm = lmm.fixed.find((f) => f.term === "groupTRD:sessionpost1:valencegood")!.t!;
  const g1 = mean(sel("TRD", "post1").map((x) => x.good)), b1 = mean(sel("TRD", "post1").map((x) => x.bad));
  return { seed, g1, b1, t1: pt("TRD", "post1"), tpre: pt("TRD", "pre"), thc0: pt("HC", "pre"), thc1: pt("HC", "post1"), did, tlmm, ab: a * b, z: (a * b) / sob, sob };
}
const N = 1000;

export const command: Command = {
  name: "calibrate",
  summary: "show how the seed of the bundled cohort was chosen: the seeds of 1..N nearest the published statistics",
  description:
    "Simulates the bundled cohort with every seed from 1 to N, computes the published summary statistics with quick closed forms and prints the 8 seeds " +
    "whose statistics land nearest Bottemanne et al. (2022), best first, one JSON object per line. The bundled seed (361) heads the list for N = 1000 (about 2 minutes).",
  positionals: [{ name: "N", description: "scan seeds 1..N", default: String(N) }],
  options: [],
  examples: [
    { command: "belief-kit calibrate 20", note: "the best of seeds 1..20 (a few seconds)" },
    { command: "belief-kit calibrate", note: "seeds 1..1000, as for the bundled cohort", slow: true },
  ],
  async run(args) {
    if (args.positional.length > 1) throw new UsageError(`expected at most one number of seeds, got ${args.positional.length}: ${args.positional.join(" ")}`);
    const arg = args.positional[0];
    const n = arg === undefined ? N : Number(arg);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError(`N (seeds to scan) expects a whole number from 1 to 100000, got ${JSON.stringify(arg)}`);
    const out = [];
    for (let s = 1; s <= n; s++) {
      const r = stats(s);
      const loss = ((r.g1 - 0.51) / 0.02) ** 2 + ((r.b1 - 0.36) / 0.02) ** 2 + ((r.t1 - 3.8) / 0.5) ** 2 + (r.tpre / 1) ** 2 * (Math.abs(r.tpre) > 1 ? 1 : 0) + (r.thc0 < 2 ? (2 - r.thc0) ** 2 : 0) + (r.thc1 < 2 ? (2 - r.thc1) ** 2 : 0) + ((r.ab + 1.0) / 0.2) ** 2 + ((r.z + 1.8) / 0.4) ** 2 + ((Math.abs(r.tlmm) - 2.67) / 0.4) ** 2;
      out.push({ ...r, loss });
    }
    out.sort((a, b) => a.loss - b.loss);
    for (const r of out.slice(0, 8)) process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * 1000) / 1000]))) + "\n");
  },
};
