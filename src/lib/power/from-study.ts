/**
 * "Effects from this study": a plan whose every parameter comes from a fitted study (the bundled one or
 * one's own), so that "what N would replicate this?" is one click. The design is the study's (groups,
 * their sizes and sessions, events per session, positive events, missed responses); the effects are
 * estimated from the kit's own analysis of it (scorePhase, fitPhase with flat fits of the valence model,
 * mediationPhase), by the method of moments:
 *
 *   learning rates   the group × session means of the fitted rates;
 *   between SD       from the covariance of a participant's fitted rates across sessions (the stable
 *                    part u is shared by the sessions, the session part w and the estimation error
 *                    are not);
 *   session SD       the variance of the fitted rates, less the between variance and the mean squared
 *                    standard error of the fits (σ̂² / Σ(BR − E1)² per valence);
 *   noise            the range of a uniform with the mean and SD of the participants' fitted σ;
 *   ee / bias SD     within- and between-participant SD of E1 − BR (signed for positive events);
 *   clinical         baseline and mean changes of the scores; the link from the mediation's path b,
 *                    corrected for regression dilution (b is the slope on the FITTED change in
 *                    asymmetry, the link the slope on the true one: link = b / reliability of the
 *                    fitted change), and the residual SD less what the dilution adds to it.
 *
 * These are estimates from one study, with its sampling error: a plan built on them asks "if the
 * effects were exactly these, what N would detect them?". That is planning. The "power" of the same
 * study computed from its own estimates (observed or post-hoc power) is a function of its p-value and
 * is no evidence for or against the effect (Hoenig & Heisey 2001, The American Statistician 55:19-24).
 */
import { designOf, fitPhase, mediationPhase, scorePhase } from "../analysis/pipeline.js";
import { defaultParams } from "../analysis/params.js";
import type { Study } from "../study/types.js";
import { DEFAULT_PLAN, LIMITS, defaultAnalysis, type PlanClinical, type PowerPlan } from "./plan.js";

export interface PlanFromStudy {
  plan: PowerPlan;
  /** How each figure was obtained, and anything that could not be estimated. */
  notes: string[];
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN;
}
function variance(xs: number[]): number {
  const m = mean(xs);
  return xs.length > 1 ? xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1) : NaN;
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
}
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** A plan with the design and effects of `study` (see the module comment); run settings from `base`. */
export function planFromStudy(study: Study, base: Pick<PowerPlan, "seed" | "replicates" | "alpha" | "curves"> = DEFAULT_PLAN): PlanFromStudy {
  const d = designOf(study);
  const notes: string[] = [];
  const params = { ...defaultParams(d), model: "valence" as const, boot: 0 };
  const scored = scorePhase(study, params);
  const fit = fitPhase(scored, study, params, { compare: false });
  const groupOf = new Map(study.participants.map((p) => [p.participant_id, p.group]));
  const positive = d.positive_events;

  // Design
  const perPs = new Map<string, { n: number; pos: number }>();
  for (const t of study.trials) {
    const k = `${t.participant_id}\u0000${t.session}`;
    const e = perPs.get(k) ?? { n: 0, pos: 0 };
    e.n++;
    if (positive?.has(t.event_id)) e.pos++;
    perPs.set(k, e);
  }
  const events = clamp(Math.round(median([...perPs.values()].map((e) => e.n))), LIMITS.events[0], LIMITS.events[1]);
  const pos = Math.min(events, Math.round(median([...perPs.values()].map((e) => e.pos))));
  const counts = scored.counts;
  const missing = round(clamp(counts.missing / Math.max(1, counts.total), 0, 0.9), 4);
  const groups = d.groups.map((g) => ({ label: g, n: clamp(d.n_by_group[g], LIMITS.n[0], LIMITS.n[1]), sessions: d.sessions_by_group[g] }));
  const design: PowerPlan["design"] = { groups, sessions: d.sessions, events_per_session: events, positive_events: pos, missing_rate: missing };
  notes.push(`Design: ${groups.map((g) => `${g.n} ${g.label} (${g.sessions.join(", ")})`).join(", ")}; ${events} events per session (median)${pos ? `, ${pos} positive` : ""}; ${(missing * 100).toFixed(1)} % missed responses.`);

  // Per-fit standard errors of the rates: σ̂² / Σx² per valence, x = BR − E1.
  const sxx = new Map<string, { good: number; bad: number }>();
  for (const t of scored.trials) {
    const k = `${t.participant_id}\u0000${t.session}`;
    const e = sxx.get(k) ?? { good: 0, bad: 0 };
    const x = -t.ee;
    e[t.valence] += x * x;
    sxx.set(k, e);
  }
  const rate = new Map<string, { good: number; bad: number; se2good: number; se2bad: number; sigma: number }>();
  for (const f of fit.fits) {
    if (f.alpha_good === null || f.alpha_bad === null || f.sigma === null) continue;
    const s = sxx.get(`${f.participant_id}\u0000${f.session}`);
    if (!s || s.good <= 0 || s.bad <= 0) continue;
    rate.set(`${f.participant_id}\u0000${f.session}`, { good: f.alpha_good, bad: f.alpha_bad, se2good: (f.sigma * f.sigma) / s.good, se2bad: (f.sigma * f.sigma) / s.bad, sigma: f.sigma });
  }
  const learning_rates: PowerPlan["effects"]["learning_rates"] = {};
  let totalVar = 0, totalW = 0, se2 = 0, covSum = 0, covW = 0;
  for (const g of groups) {
    const ids = study.participants.filter((p) => p.group === g.label).map((p) => p.participant_id);
    learning_rates[g.label] = {};
    for (const s of g.sessions) {
      const rs = ids.map((id) => rate.get(`${id}\u0000${s}`)).filter((r) => r !== undefined);
      if (rs.length === 0) {
        learning_rates[g.label][s] = { good: 0.45, bad: 0.35 };
        notes.push(`${g.label} at ${s}: no fitted rates; 0.45 and 0.35 assumed.`);
        continue;
      }
      learning_rates[g.label][s] = { good: round(clamp(mean(rs.map((r) => r.good)), 0, 1)), bad: round(clamp(mean(rs.map((r) => r.bad)), 0, 1)) };
      for (const v of ["good", "bad"] as const) {
        const xs = rs.map((r) => r[v]);
        if (xs.length > 1) {
          totalVar += variance(xs) * (xs.length - 1);
          totalW += xs.length - 1;
          se2 += mean(rs.map((r) => (v === "good" ? r.se2good : r.se2bad))) * (xs.length - 1);
        }
      }
    }
    for (let i = 0; i < g.sessions.length; i++)
      for (let j = i + 1; j < g.sessions.length; j++)
        for (const v of ["good", "bad"] as const) {
          const pairs: [{ good: number; bad: number }, { good: number; bad: number }][] = [];
          for (const id of ids) {
            const a = rate.get(`${id}\u0000${g.sessions[i]}`);
            const b = rate.get(`${id}\u0000${g.sessions[j]}`);
            if (a && b) pairs.push([a, b]);
          }
          if (pairs.length < 3) continue;
          const a = pairs.map((p) => p[0][v]);
          const b = pairs.map((p) => p[1][v]);
          const ma = mean(a), mb = mean(b);
          const cov = a.reduce((s, x, k) => s + (x - ma) * (b[k] - mb), 0) / (pairs.length - 1);
          covSum += cov * (pairs.length - 1);
          covW += pairs.length - 1;
        }
  }
  const varTotal = totalW ? totalVar / totalW : NaN;
  const meanSe2 = totalW ? se2 / totalW : NaN;
  const varTrue = Math.max(0, varTotal - meanSe2);
  let varU: number;
  if (covW > 0) {
    varU = clamp(covSum / covW, 0, varTrue);
    notes.push(`Learning rates: SD of the fitted rates ${Math.sqrt(varTotal).toFixed(3)}, of which estimation error ${Math.sqrt(meanSe2).toFixed(3)}; the between-participant part from the covariance across sessions.`);
  } else {
    const share = DEFAULT_PLAN.effects.between_sd ** 2 / (DEFAULT_PLAN.effects.between_sd ** 2 + DEFAULT_PLAN.effects.session_sd ** 2);
    varU = varTrue * share;
    notes.push("Learning rates: one session per participant, so the between-participant and session SDs cannot be told apart; their variance is split as in the bundled design's generating values.");
  }
  const between_sd = round(Math.sqrt(varU));
  const session_sd = round(Math.sqrt(Math.max(0, varTrue - varU)));

  // Response noise: per participant, mean fitted sigma over sessions.
  const sig = new Map<string, number[]>();
  for (const [k, r] of rate) {
    const id = k.split("\u0000")[0];
    sig.set(id, [...(sig.get(id) ?? []), r.sigma]);
  }
  const sigmas = [...sig.values()].map(mean);
  const ms = mean(sigmas), ss = Math.sqrt(variance(sigmas) || 0);
  const noise: [number, number] = [round(clamp(ms - Math.sqrt(3) * ss, 0, 50), 2), round(clamp(ms + Math.sqrt(3) * ss, 0, 50), 2)];

  // First estimates around the base rate.
  const eeBy = new Map<string, number[]>();
  for (const t of study.trials) {
    if (t.base_rate === null || t.first_estimate === null) continue;
    const x = (t.first_estimate - t.base_rate) * (positive?.has(t.event_id) ? -1 : 1);
    const a = eeBy.get(t.participant_id);
    if (a) a.push(x);
    else eeBy.set(t.participant_id, [x]);
  }
  const within: number[] = [];
  const means: number[] = [];
  for (const xs of eeBy.values()) {
    if (xs.length > 1) within.push(variance(xs));
    means.push(mean(xs));
  }
  const eeVar = mean(within);
  const perPerson = mean([...eeBy.values()].map((x) => x.length));
  const ee_sd = round(clamp(Math.sqrt(eeVar), 0, 50), 2);
  const bias_sd = round(clamp(Math.sqrt(Math.max(0, variance(means) - eeVar / perPerson)), 0, 50), 2);

  // Clinical
  let clinical: PlanClinical | null = null;
  const analysis = defaultAnalysis(design, d.has_clinical && d.mediation_groups.length > 0);
  if (analysis.mediation && d.meta.clinical_scale) {
    const m = analysis.mediation;
    const scale = d.meta.clinical_scale;
    const scores = new Map<string, number>();
    for (const c of study.clinical) if (c.score !== null) scores.set(`${c.participant_id}\u0000${c.session}`, c.score);
    const first = (g: string) => d.sessions_by_group[g][0];
    const baseline = study.participants.filter((p) => p.group === m.group).map((p) => scores.get(`${p.participant_id}\u0000${first(m.group)}`)).filter((x): x is number => x !== undefined);
    const drop: PlanClinical["drop"] = {};
    for (const g of groups) {
      drop[g.label] = {};
      for (const s of g.sessions.slice(1)) {
        const ch = study.participants.filter((p) => p.group === g.label).map((p) => {
          const a = scores.get(`${p.participant_id}\u0000${first(g.label)}`);
          const b = scores.get(`${p.participant_id}\u0000${s}`);
          return a !== undefined && b !== undefined ? b - a : null;
        }).filter((x): x is number => x !== null);
        if (ch.length) drop[g.label][s] = round(mean(ch), 2);
      }
    }
    const med = mediationPhase(fit.fits, study, { ...params, medgroup: m.group, med: m.mediator, out: m.outcome }, { bootstrap: false });
    let link = 0, change_sd = DEFAULT_PLAN.effects.clinical!.change_sd;
    if (!med.error && !med.not_applicable && "b" in med) {
      const dm = med.rows.filter((r) => r.m_from !== null && r.m_to !== null && r.y_from !== null && r.y_to !== null).map((r) => r.m_to! - r.m_from!);
      const varObs = variance(dm);
      // True change of asymmetry between two sessions: (w_good − w_bad) twice, 4 session variances.
      const varTrueChange = 4 * session_sd * session_sd;
      const reliability = clamp(varTrueChange / varObs, 0.1, 1);
      link = round(med.b / reliability, 2);
      const resid = med.residual_sd ?? Math.sqrt(variance(med.rows.filter((r) => r.y_from !== null && r.y_to !== null).map((r) => r.y_to! - r.y_from!)));
      change_sd = round(Math.sqrt(Math.max(0.25, resid * resid - link * link * varTrueChange * (1 - reliability))), 2);
      notes.push(`Clinical link: path b = ${med.b.toFixed(2)} on the fitted change in asymmetry, whose reliability is estimated at ${reliability.toFixed(2)}, so ${link.toFixed(2)} points per unit of true change (regression dilution corrected); indirect effect in the study a·b = ${med.indirect.toFixed(2)}.`);
    } else notes.push(`Clinical link: the mediation could not be estimated (${med.error ?? med.not_applicable ?? "no result"}); no link assumed.`);
    clinical = {
      name: scale.name,
      min: scale.min,
      max: scale.max,
      baseline_mean: round(mean(baseline), 2),
      baseline_sd: round(Math.sqrt(variance(baseline) || 0), 2),
      drop,
      link,
      change_sd,
      driver: m.mediator[1],
    };
  }
  const effects: PowerPlan["effects"] = { learning_rates, between_sd, session_sd, noise, ee_sd, bias_sd, clinical };
  const plan: PowerPlan = { version: 1, seed: base.seed, replicates: base.replicates, alpha: base.alpha, design, effects, analysis: { ...analysis, metrics: analysis.metrics }, curves: base.curves };
  notes.push("These are one study's estimates, with its sampling error: use them to plan the next study. The power of this study computed from its own estimates (post-hoc power) is a function of its p-value and is not evidence (Hoenig & Heisey 2001).");
  return { plan, notes };
}
