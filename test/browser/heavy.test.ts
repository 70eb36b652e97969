/**
 * startHeavy splits one worker run into a progress generator and a result generator, so a
 * progress message re-runs only the progress view. Checked with a fake client whose run we drive.
 */
import { describe, expect, test } from "vitest";
import { startHeavy, type HeavyState } from "../../src/browser/heavy.js";
import type { Progress } from "../../src/browser/analysis-client.js";
import type { AnalysisParams } from "../../src/lib/analysis/params.js";

function fakeClient() {
  const calls: { onProgress: (p: Progress) => void; resolve: (r: unknown) => void; reject: (e: Error) => void }[] = [];
  return {
    calls,
    run(_params: AnalysisParams, onProgress: (p: Progress) => void) {
      return new Promise<never>((resolve, reject) => calls.push({ onProgress, resolve: resolve as (r: unknown) => void, reject }));
    },
  };
}
const params = {} as AnalysisParams;
const tick = () => new Promise((r) => setTimeout(r, 0));
const RESULT = { fit: { fits: [] }, mediation: { indirect: 1 }, ms: 12 };

async function take<T>(gen: AsyncGenerator<T>, into: T[]): Promise<void> {
  for await (const v of gen) into.push(v);
}

describe("startHeavy", () => {
  test("the result generator yields null at once and the result once, however many progress messages come", async () => {
    const client = fakeClient();
    const job = startHeavy(client as never, params);
    const results: unknown[] = [];
    const done = take(job.result(), results);
    await tick();
    expect(results).toEqual([null]);
    for (let i = 1; i <= 5; i++) client.calls[0].onProgress({ phase: "bootstrap", done: i * 100, total: 500 });
    await tick();
    expect(results).toEqual([null]);
    client.calls[0].resolve(RESULT);
    await done;
    expect(results).toHaveLength(2);
    expect(results[1]).toMatchObject({ mediation: { indirect: 1 }, ms: 12 });
  });

  test("the states generator reports progress, then done, and ends", async () => {
    const client = fakeClient();
    const states: HeavyState[] = [];
    const done = take(startHeavy(client as never, params).states(), states);
    await tick();
    client.calls[0].onProgress({ phase: "bootstrap", done: 250, total: 500 });
    await tick();
    client.calls[0].resolve(RESULT);
    await done;
    expect(states[0]).toEqual({ status: "running", progress: null });
    expect(states).toContainEqual({ status: "running", progress: { phase: "bootstrap", done: 250, total: 500 } });
    expect(states.at(-1)).toMatchObject({ status: "done", ms: 12 });
  });

  test("a failed run ends the states with its message; the result generator yields nothing more", async () => {
    const client = fakeClient();
    const job = startHeavy(client as never, params);
    const states: HeavyState[] = [];
    const results: unknown[] = [];
    const a = take(job.states(), states);
    const b = take(job.result(), results);
    await tick();
    client.calls[0].reject(new Error("worker crashed"));
    await Promise.all([a, b]);
    expect(states.at(-1)).toEqual({ status: "error", message: "worker crashed" });
    expect(results).toEqual([null]);
  });

  test("a superseded run yields no result and no error", async () => {
    const client = fakeClient();
    const job = startHeavy(client as never, params);
    const results: unknown[] = [];
    const b = take(job.result(), results);
    const states = job.states();
    expect((await states.next()).value).toEqual({ status: "running", progress: null });
    client.calls[0].reject(new Error("superseded"));
    await b;
    expect(results).toEqual([null]);
    const next = await Promise.race([states.next(), new Promise((r) => setTimeout(() => r("pending"), 20))]);
    expect(next).toMatchObject({ value: { status: "running" } });
  });
});
