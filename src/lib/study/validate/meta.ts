/** study.json: its schema, checked key by key with the line and column of each problem. */
import { jsonErrorOffset } from "../json-position.js";
import { STUDY_DESIGNS, type ResponseDefinition, type SecondaryScale, type StudyDesign, type StudyGroups, type StudyMeta } from "../types.js";
import { DEFAULT_RESPONSE_THRESHOLD } from "./format.js";
import { lineCol, show, type Collector } from "./issues.js";

/**
 * The design a study.json declares, read leniently so that the other files can be checked
 * against it even when study.json has errors: "belief-updating" when the file is missing,
 * unreadable or has no "design" key; null when "design" holds something else.
 */
export function declaredDesign(text: string | undefined): StudyDesign | null {
  if (text === undefined) return "belief-updating";
  try {
    const raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw) || !("design" in raw)) return "belief-updating";
    const d = (raw as Record<string, unknown>).design;
    return typeof d === "string" && (STUDY_DESIGNS as readonly string[]).includes(d) ? (d as StudyDesign) : null;
  } catch {
    return "belief-updating";
  }
}

const RESERVED_CLINICAL = new Set(["participant_id", "session", "score", "condition", "period"]);

/**
 * `groups`: one group ({"reference": "HC"}), the usual two ({"reference": "HC", "treatment": "TRD"}), or
 * any number as a list (["HC", "MDD", "TRD"]: the first is the reference level, the last the default
 * group of the mediation). A parallel trial needs exactly its two arms, reference and treatment.
 */
function readGroups(value: unknown, twoArms: boolean, error: (message: string) => void): StudyGroups | null {
  const label = (x: unknown): x is string => typeof x === "string" && x.trim() !== "";
  if (Array.isArray(value)) {
    if (twoArms || value.length === 0 || !value.every(label)) {
      error(twoArms ? `expected {"reference": "<control arm>", "treatment": "<active arm>"}, got ${JSON.stringify(value)}` : `expected a list of group labels (the first is the reference), got ${JSON.stringify(value)}`);
      return null;
    }
    if (new Set(value).size !== value.length) {
      error(`expected different group labels, got ${JSON.stringify(value)}`);
      return null;
    }
    const levels = [...(value as string[])];
    return levels.length > 1 ? { reference: levels[0], treatment: levels[levels.length - 1], levels } : { reference: levels[0], levels };
  }
  const g = value as Record<string, unknown> | null | undefined;
  const example = twoArms ? `{"reference": "<control arm>", "treatment": "<active arm>"}` : `{"reference": "<label>"}, {"reference": "<label>", "treatment": "<label>"} or a list of labels`;
  if (typeof g !== "object" || g === null || !label(g.reference) || ("treatment" in g && !label(g.treatment)) || (twoArms && !("treatment" in g))) {
    error(`expected ${example}, got ${JSON.stringify(value ?? null)}`);
    return null;
  }
  const unknown = Object.keys(g).filter((k) => k !== "reference" && k !== "treatment");
  if (unknown.length) {
    error(`unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => JSON.stringify(k)).join(", ")} in groups (expected reference and optionally treatment; three or more groups are a list such as ["HC", "MDD", "TRD"])`);
    return null;
  }
  if (g.treatment === undefined) return { reference: g.reference as string, levels: [g.reference as string] };
  if (g.reference === g.treatment) {
    error(`expected two different labels, got "${g.reference}" twice`);
    return null;
  }
  return { reference: g.reference as string, treatment: g.treatment as string, levels: [g.reference as string, g.treatment as string] };
}

export function validateMeta(text: string | undefined, c: Collector, hasClinical = true): StudyMeta | null {
  const file = "study.json";
  if (text === undefined) {
    c.error({ file, message: "file is missing: every study folder needs study.json (see README, The study folder format)" });
    return null;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const offset = jsonErrorOffset(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    const pos = offset === null ? undefined : lineCol(text, offset);
    c.error({ file, line: pos?.line, column: pos?.column, message: `expected valid JSON: ${msg.split("\n")[0]}` });
    return null;
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    c.error({ file, line: 1, column: 1, message: "expected a JSON object with id, title, description, citation, synthetic, groups, sessions (and clinical_scale with a clinical.csv)" });
    return null;
  }
  const o = raw as Record<string, unknown>;
  const before = c.errors.length + c.moreErrors;
  // Line and column of a key in the text (line 1, column 1 when the key is absent).
  const at = (key: string) => {
    const i = text.indexOf(`"${key}"`);
    return i < 0 ? { line: 1, column: 1 } : lineCol(text, i);
  };
  for (const key of ["id", "title", "description", "citation"]) {
    if (typeof o[key] !== "string" || (key !== "description" && key !== "citation" && (o[key] as string).trim() === ""))
      c.error({ file, ...at(key), field: key, message: `expected a non-empty string, got ${JSON.stringify(o[key] ?? null)}` });
  }
  if (typeof o.id === "string" && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(o.id))
    c.error({ file, ...at("id"), field: "id", message: `expected letters, digits, ".", "_" or "-" (it names the folder and URLs), got ${show(o.id)}` });
  if (typeof o.synthetic !== "boolean")
    c.error({ file, ...at("synthetic"), field: "synthetic", message: `expected true or false (is the cohort simulated?), got ${JSON.stringify(o.synthetic ?? null)}` });
  let design: StudyDesign = "belief-updating";
  if ("design" in o) {
    if (typeof o.design === "string" && (STUDY_DESIGNS as readonly string[]).includes(o.design)) design = o.design as StudyDesign;
    else c.error({ file, ...at("design"), field: "design", message: `expected ${STUDY_DESIGNS.map((d) => JSON.stringify(d)).join(", ")} (default "belief-updating"), got ${JSON.stringify(o.design ?? null)}` });
  }
  // A crossover study has conditions instead of groups (groups are derived from them).
  const groups = design === "crossover" ? null : readGroups(o.groups, design === "parallel", (message) => c.error({ file, ...at("groups"), field: "groups", message }));
  const s = o.sessions;
  if (!Array.isArray(s) || s.length === 0 || !s.every((x) => typeof x === "string" && x !== ""))
    c.error({ file, ...at("sessions"), field: "sessions", message: `expected a non-empty list of session ids (the first is the baseline), got ${JSON.stringify(s ?? null)}` });
  else if (new Set(s).size !== s.length)
    c.error({ file, ...at("sessions"), field: "sessions", message: `expected unique session ids, got ${JSON.stringify(s)}` });
  // The clinical scale describes clinical.csv: needed with the file (always for crossover and parallel studies).
  const cs = o.clinical_scale as Record<string, unknown> | undefined;
  const needScale = hasClinical || design !== "belief-updating";
  if (cs === undefined && needScale)
    c.error({ file, ...at("clinical_scale"), field: "clinical_scale", message: `expected {"name": "MADRS", "min": 0, "max": 60} describing the score of clinical.csv, got nothing` });
  else if (cs !== undefined && (typeof cs !== "object" || cs === null || typeof cs.name !== "string" || typeof cs.min !== "number" || typeof cs.max !== "number" || !(cs.min < cs.max)))
    c.error({ file, ...at("clinical_scale"), field: "clinical_scale", message: `expected {"name": "MADRS", "min": 0, "max": 60} with min < max, got ${JSON.stringify(o.clinical_scale ?? null)}` });
  const trial = design === "crossover" || design === "parallel" ? validateTrialMeta(o, design, at, c) : null;
  if (c.errors.length + c.moreErrors > before) return null;
  const meta: StudyMeta = {
    id: o.id as string,
    title: o.title as string,
    description: o.description as string,
    citation: o.citation as string,
    synthetic: o.synthetic as boolean,
    groups:
      design === "crossover"
        ? { reference: trial!.conditions![0], treatment: trial!.conditions![1], levels: [...trial!.conditions!] }
        : groups!,
    sessions: [...(s as string[])],
  };
  if (cs !== undefined) meta.clinical_scale = { name: cs.name as string, min: cs.min as number, max: cs.max as number };
  if ("design" in o) meta.design = design;
  if (trial) Object.assign(meta, trial);
  return meta;
}

/** The keys of study.json that only crossover and parallel studies have (docs/designs.md). */
function validateTrialMeta(
  o: Record<string, unknown>,
  design: "crossover" | "parallel",
  at: (key: string) => { line: number; column: number },
  c: Collector,
): Pick<StudyMeta, "conditions" | "sequences" | "response" | "secondary_scales"> | null {
  const file = "study.json";
  const before = c.errors.length + c.moreErrors;
  const out: Pick<StudyMeta, "conditions" | "sequences" | "response" | "secondary_scales"> = {};
  const sessions = Array.isArray(o.sessions) && o.sessions.every((x) => typeof x === "string" && x !== "") ? (o.sessions as string[]) : null;
  if (sessions && sessions.length < 2)
    c.error({ file, ...at("sessions"), field: "sessions", message: `expected at least two time points for a ${design} study (the first is the baseline), got ${JSON.stringify(sessions)}` });

  if (design === "crossover") {
    const cond = o.conditions;
    if (!Array.isArray(cond) || cond.length !== 2 || !cond.every((x) => typeof x === "string" && x.trim() !== ""))
      c.error({ file, ...at("conditions"), field: "conditions", message: `expected a list of the two conditions, reference first (for example ["placebo", "naltrexone"]), got ${JSON.stringify(cond ?? null)}` });
    else if (cond[0] === cond[1]) c.error({ file, ...at("conditions"), field: "conditions", message: `expected two different conditions, got "${cond[0]}" twice` });
    else out.conditions = [...(cond as string[])];
    const seq = o.sequences;
    const example = out.conditions
      ? `{"AB": ${JSON.stringify(out.conditions)}, "BA": ${JSON.stringify([...out.conditions].reverse())}}`
      : `{"AB": ["<reference>", "<other>"], "BA": ["<other>", "<reference>"]}`;
    if (typeof seq !== "object" || seq === null || Array.isArray(seq) || Object.keys(seq).length === 0)
      c.error({ file, ...at("sequences"), field: "sequences", message: `expected the sequences (the group column of participants.csv) with their conditions in period order, for example ${example}, got ${JSON.stringify(seq ?? null)}` });
    else if (out.conditions) {
      const sequences: Record<string, string[]> = {};
      const orders = new Map<string, string>();
      for (const [label, list] of Object.entries(seq as Record<string, unknown>)) {
        const ok =
          label.trim() !== "" &&
          Array.isArray(list) &&
          list.length === out.conditions.length &&
          out.conditions.every((x) => list.filter((y) => y === x).length === 1);
        if (!ok) {
          c.error({ file, ...at("sequences"), field: "sequences", message: `expected sequence ${JSON.stringify(label)} to list each condition (${out.conditions.map((x) => JSON.stringify(x)).join(", ")}) once, in period order, got ${JSON.stringify(list ?? null)}` });
          continue;
        }
        const key = (list as string[]).join("\u0000");
        const other = orders.get(key);
        if (other !== undefined) c.error({ file, ...at("sequences"), field: "sequences", message: `expected different orders, got ${JSON.stringify(other)} and ${JSON.stringify(label)} both ${JSON.stringify(list)}` });
        orders.set(key, label);
        sequences[label] = [...(list as string[])];
      }
      out.sequences = sequences;
    }
  }

  const r = o.response;
  let threshold = DEFAULT_RESPONSE_THRESHOLD;
  let session = sessions && sessions.length >= 2 ? sessions[1] : "";
  if (r !== undefined) {
    const rr = r as Record<string, unknown>;
    if (typeof r !== "object" || r === null || Array.isArray(r))
      c.error({ file, ...at("response"), field: "response", message: `expected {"threshold": 0.5, "session": "<time point>"} (both optional), got ${JSON.stringify(r)}` });
    else {
      if ("threshold" in rr) {
        if (typeof rr.threshold !== "number" || !(rr.threshold > 0 && rr.threshold <= 1))
          c.error({ file, ...at("response"), field: "response.threshold", message: `expected a fraction of the baseline score above 0 and at most 1 (0.5 = at least 50 % reduction), got ${JSON.stringify(rr.threshold ?? null)}` });
        else threshold = rr.threshold;
      }
      if ("session" in rr && sessions) {
        if (typeof rr.session !== "string" || !sessions.slice(1).includes(rr.session))
          c.error({ file, ...at("response"), field: "response.session", message: `expected one of the time points after the baseline (${sessions.slice(1).join(", ")}), got ${JSON.stringify(rr.session ?? null)}` });
        else session = rr.session;
      }
    }
  }
  out.response = { threshold, session } satisfies ResponseDefinition;

  const ss = o.secondary_scales;
  if (ss !== undefined) {
    if (!Array.isArray(ss))
      c.error({ file, ...at("secondary_scales"), field: "secondary_scales", message: `expected a list of {"column": "hamd6", "name": "HAM-D-6", "min": 0, "max": 22}, got ${JSON.stringify(ss)}` });
    else {
      const scales: SecondaryScale[] = [];
      const primary = (o.clinical_scale as Record<string, unknown> | undefined)?.name;
      for (const x of ss as unknown[]) {
        const e = x as Record<string, unknown>;
        if (
          typeof x !== "object" || x === null ||
          typeof e.column !== "string" || e.column.trim() === "" || RESERVED_CLINICAL.has(e.column) ||
          typeof e.name !== "string" || e.name.trim() === "" ||
          typeof e.min !== "number" || typeof e.max !== "number" || !(e.min < e.max)
        ) {
          c.error({ file, ...at("secondary_scales"), field: "secondary_scales", message: `expected {"column": "<clinical.csv column other than ${[...RESERVED_CLINICAL].join(", ")}>", "name": "<scale>", "min": <number>, "max": <number>} with min < max, got ${JSON.stringify(x)}` });
          continue;
        }
        if (scales.some((y) => y.column === e.column) || scales.some((y) => y.name === e.name) || e.name === primary) {
          c.error({ file, ...at("secondary_scales"), field: "secondary_scales", message: `expected each scale once (columns and names differ from each other and from clinical_scale), got ${JSON.stringify(e.column)} / ${JSON.stringify(e.name)} again` });
          continue;
        }
        scales.push({ column: e.column, name: e.name, min: e.min, max: e.max });
      }
      out.secondary_scales = scales;
    }
  }
  return c.errors.length + c.moreErrors > before ? null : out;
}

