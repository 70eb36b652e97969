/**
 * The JSON Schema (draft 2020-12) of a power plan, for editors and other tools. checkPlan (plan.ts) is
 * the validation the kit applies, with the cross-checks a schema cannot express (a learning rate for
 * every group × session, sessions of the right group, metrics that apply); this schema describes the
 * shape and ranges. Every key is optional: absent keys take the default plan's values.
 */
import { LIMITS, METRIC_IDS } from "./plan.js";

const name = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" };
const rate = { type: "number", minimum: 0, maximum: 1 };
const sessionPair = { type: "array", items: name, minItems: 2, maxItems: 2 };

export const PLAN_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "belief-updating-kit power plan",
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    note: { type: "string" },
    version: { const: 1 },
    seed: { type: "integer", minimum: LIMITS.seed[0], maximum: LIMITS.seed[1] },
    replicates: { type: "integer", minimum: LIMITS.replicates[0], maximum: LIMITS.replicates[1], description: "simulated studies per point of the curves" },
    alpha: { type: "number", exclusiveMinimum: 0, maximum: 0.5 },
    design: {
      type: "object",
      additionalProperties: false,
      properties: {
        groups: {
          type: "array",
          minItems: 1,
          maxItems: 6,
          items: { type: "object", additionalProperties: false, required: ["label", "n"], properties: { label: name, n: { type: "integer", minimum: LIMITS.n[0], maximum: LIMITS.n[1] }, sessions: { type: "array", items: name, minItems: 1 } } },
        },
        sessions: { type: "array", items: name, minItems: 1 },
        events_per_session: { type: "integer", minimum: LIMITS.events[0], maximum: LIMITS.events[1] },
        positive_events: { type: "integer", minimum: 0 },
        missing_rate: { type: "number", minimum: 0, maximum: 0.9 },
      },
    },
    effects: {
      type: "object",
      additionalProperties: false,
      properties: {
        learning_rates: {
          type: "object",
          description: "{group: {session: {good, bad}}}, one entry per session a group attends",
          additionalProperties: { type: "object", additionalProperties: { type: "object", required: ["good", "bad"], additionalProperties: false, properties: { good: rate, bad: rate } } },
        },
        between_sd: { type: "number", minimum: 0, maximum: 1 },
        session_sd: { type: "number", minimum: 0, maximum: 1 },
        noise: { type: "array", items: { type: "number", minimum: 0, maximum: 50 }, minItems: 2, maxItems: 2 },
        ee_sd: { type: "number", minimum: 0, maximum: 50 },
        bias_sd: { type: "number", minimum: 0, maximum: 50 },
        clinical: {
          oneOf: [
            { type: "null" },
            {
              type: "object",
              additionalProperties: false,
              properties: {
                name: { type: "string" },
                min: { type: "number" },
                max: { type: "number" },
                baseline_mean: { type: "number" },
                baseline_sd: { type: "number", minimum: 0 },
                drop: { type: "object", additionalProperties: { type: "object", additionalProperties: { type: "number" } } },
                link: { type: "number" },
                change_sd: { type: "number", minimum: 0 },
                driver: { oneOf: [{ type: "null" }, name] },
              },
            },
          ],
        },
      },
    },
    analysis: {
      type: "object",
      additionalProperties: false,
      properties: {
        model: { enum: ["valence", "scaling-asymmetry", "ee-weighted"] },
        metrics: { type: "array", items: { enum: [...METRIC_IDS] }, uniqueItems: true },
        boot_resamples: { type: "integer", minimum: LIMITS.boot[0], maximum: LIMITS.boot[1] },
        asymmetry: { type: "object", additionalProperties: false, properties: { group: name, session: name } },
        change: { oneOf: [{ type: "null" }, { type: "object", additionalProperties: false, properties: { group: name, from: name, to: name } }] },
        contrast: { oneOf: [{ type: "null" }, { type: "object", additionalProperties: false, properties: { reference: name, treatment: name, from: name, to: name } }] },
        lmm_sessions: { type: "array", items: name, minItems: 1 },
        mediation: { oneOf: [{ type: "null" }, { type: "object", additionalProperties: false, properties: { group: name, mediator: sessionPair, outcome: sessionPair } }] },
      },
    },
    curves: {
      type: "object",
      additionalProperties: false,
      properties: {
        n: { type: "array", maxItems: LIMITS.points, items: { type: "integer", minimum: LIMITS.n[0], maximum: LIMITS.n[1] } },
        events: { type: "array", maxItems: LIMITS.points, items: { type: "integer", minimum: LIMITS.events[0], maximum: LIMITS.events[1] } },
      },
    },
  },
} as const;
