import { describe, expect, it } from "vitest";
import { DEFAULT_PLAN, PlanError, checkPlan, parsePlan } from "../../../src/lib/power/plan.js";
import { planFromQuery, planToQuery } from "../../../src/lib/power/plan-url.js";

describe("checkPlan", () => {
  it("an empty object is the default plan (the bundled study's design and generating values)", () => {
    expect(checkPlan({})).toEqual({ plan: DEFAULT_PLAN, errors: [] });
    expect(DEFAULT_PLAN.design.groups.map((g) => `${g.n} ${g.label}`)).toEqual(["30 HC", "26 TRD"]);
  });

  it("reports every problem with its path and what was expected", () => {
    const { plan, errors } = checkPlan({ replicates: 3, alpha: 0, design: { groups: [{ label: "HC", n: 1 }, { label: "TRD", n: "ten" }], events_per_session: 40 }, curves: { n: [5, 1e6] }, extra: 1 });
    expect(plan).toBeNull();
    expect(errors).toContain("replicates: expected a whole number from 10 to 100000, got 3");
    expect(errors).toContain("alpha: expected a number above 0 and up to 0.5, got 0");
    expect(errors).toContain("design.groups[0].n: expected a whole number from 2 to 5000, got 1");
    expect(errors).toContain('design.groups[1].n: expected a whole number from 2 to 5000, got "ten"');
    expect(errors.some((e) => e.startsWith("curves.n: expected a list of at most 12 whole numbers from 2 to 5000"))).toBe(true);
    expect(errors.some((e) => e.startsWith("extra: unknown key"))).toBe(true);
    // Groups of one's own take none of the default's learning rates: each missing one is named.
    expect(errors).toContain('effects.learning_rates.HC.pre: missing; give the mean learning rates {"good": …, "bad": …} of HC at pre');
  });

  it("a design of one's own: targets and metrics follow from it (one group, one session: no change, contrast or mediation)", () => {
    const plan = parsePlan({ design: { groups: [{ label: "adults", n: 40 }], sessions: ["s1"], positive_events: 20 }, effects: { learning_rates: { adults: { s1: { good: 0.5, bad: 0.3 } } } } });
    expect(plan.analysis.metrics).toEqual(["asymmetry", "lmm"]);
    expect(plan.analysis.asymmetry).toEqual({ group: "adults", session: "s1" });
    expect(plan.effects.clinical).toBeNull();
    expect(() => parsePlan({ design: { groups: [{ label: "adults", n: 40 }], sessions: ["s1"] }, effects: { learning_rates: { adults: { s1: { good: 0.5, bad: 0.3 } } } }, analysis: { metrics: ["sobel"] } })).toThrow(
      /sobel and bootstrap need effects.clinical/,
    );
  });

  it("parsePlan throws a PlanError listing the problems; invalid JSON text says so", () => {
    try {
      parsePlan({ seed: -1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PlanError);
      expect((e as PlanError).errors).toEqual(["seed: expected a whole number from 0 to 1000000, got -1"]);
      expect((e as Error).message).toMatch(/the power plan is not valid:\n {2}- seed/);
    }
    expect(() => parsePlan("{not json")).toThrow(/plan: not valid JSON/);
  });
});

describe("the plan in the URL", () => {
  it("the default plan is an empty query, and a change is one readable key", () => {
    expect(planToQuery(DEFAULT_PLAN)).toBe("");
    const plan = parsePlan({ design: { events_per_session: 30 }, effects: { learning_rates: { ...DEFAULT_PLAN.effects.learning_rates, TRD: { ...DEFAULT_PLAN.effects.learning_rates.TRD, post1: { good: 0.6, bad: 0.36 } } } } });
    const q = planToQuery(plan);
    expect(q).toBe("design.events_per_session=30&effects.learning_rates.TRD.post1.good=0.6");
    expect(planFromQuery(`?${q}`)).toEqual({ plan, errors: [] });
  });

  it("round-trips a plan with its own groups, sessions, no clinical score and lists", () => {
    const plan = parsePlan({
      seed: 7,
      design: { groups: [{ label: "A", n: 12 }, { label: "B", n: 14, sessions: ["t2"] }], sessions: ["t1", "t2"] },
      effects: { learning_rates: { A: { t1: { good: 0.4, bad: 0.4 }, t2: { good: 0.5, bad: 0.3 } }, B: { t2: { good: 0.45, bad: 0.35 } } }, noise: [2, 9] },
      curves: { n: [10, 20], events: [] },
    });
    const back = planFromQuery(planToQuery(plan));
    expect(back.errors).toEqual([]);
    expect(back.plan).toEqual(plan);
  });

  it("an unreadable query falls back to the default plan and says why", () => {
    const r = planFromQuery("?design.events_per_session=3000");
    expect(r.plan).toEqual(DEFAULT_PLAN);
    expect(r.errors).toEqual(["design.events_per_session: expected a whole number from 4 to 400, got 3000"]);
  });
});

describe("the plan's JSON Schema", async () => {
  const { PLAN_SCHEMA } = await import("../../../src/lib/power/schema.js");
  it("describes every key of the default plan, and checkPlan rejects what it leaves out", () => {
    const walk = (value: unknown, schema: Record<string, unknown>, path: string) => {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return;
      const props = (schema.properties ?? (schema.oneOf as Record<string, unknown>[] | undefined)?.find((s) => s.type === "object")?.properties) as Record<string, Record<string, unknown>> | undefined;
      if (!props) return;
      for (const [k, v] of Object.entries(value)) {
        expect(props, `${path}.${k}`).toHaveProperty(k);
        walk(v, props[k], `${path}.${k}`);
      }
    };
    walk(DEFAULT_PLAN, PLAN_SCHEMA as unknown as Record<string, unknown>, "plan");
    expect(checkPlan({ design: { colour: "blue" } }).errors[0]).toMatch(/^design.colour: unknown key/);
  });
});
