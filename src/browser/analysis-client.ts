/**
 * Browser glue: runs the heavy phases in the analysis Web Worker, one request at a time.
 * A newer request terminates a running one (its result would be stale anyway) and starts a fresh
 * worker, which gets the study again as packed typed arrays (a copy, transferred): no million trial
 * objects are structured-cloned, however many runs are superseded.
 */
import type { AnalysisParams } from "../lib/analysis/params.js";
import type { RecoveryReport } from "../lib/models/recovery.js";
import { packTrials, packedBuffers, unpackTrials, type PackedTrials } from "../lib/study/document.js";
import type { FromWorker, HeavyResult, WorkerStudy } from "../workers/protocol.js";
import type { StudyFiles, ValidationResult } from "../lib/study/validate/index.js";
import type { Study } from "../lib/study/types.js";
import type { ToWorker } from "../workers/protocol.js";

type ToWorkerRequest = ToWorker;

/**
 * A study that came through postMessage has a copy of every id string per row (structured cloning
 * copies strings; the validator had interned them: one string per distinct id). Intern them again,
 * in place: the analysis compares and looks up ids millions of times on every re-analysis, which is
 * faster on the same string object than on equal copies. `known`: ids already shared by the trials
 * (unpacked from their dictionaries), which then need no pass.
 */
export function internStudyIds(study: Study, known?: Iterable<string>): void {
  const pool = new Map<string, string>();
  for (const s of known ?? []) pool.set(s, s);
  const intern = (s: string): string => {
    const found = pool.get(s);
    if (found !== undefined) return found;
    pool.set(s, s);
    return s;
  };
  for (const p of study.participants) p.participant_id = intern(p.participant_id);
  if (!known)
    for (const t of study.trials) {
      t.participant_id = intern(t.participant_id);
      t.session = intern(t.session);
      t.event_id = intern(t.event_id);
    }
  for (const c of study.clinical) {
    c.participant_id = intern(c.participant_id);
    c.session = intern(c.session);
  }
}

export interface Progress {
  phase: string;
  done: number;
  total: number;
}

/** A copy of packed trials whose buffers can be transferred (the original stays usable). */
function copyPacked(p: PackedTrials): PackedTrials {
  return {
    ...p,
    participant: p.participant.slice(),
    session: p.session.slice(),
    event: p.event.slice(),
    first_estimate: p.first_estimate.slice(),
    base_rate: p.base_rate.slice(),
    second_estimate: p.second_estimate.slice(),
    nulls: p.nulls.slice(),
    ...(p.estimated_base_rate ? { estimated_base_rate: p.estimated_base_rate.slice() } : {}),
    ...(p.recalled_base_rate ? { recalled_base_rate: p.recalled_base_rate.slice() } : {}),
  };
}

export class AnalysisClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private reject: ((e: Error) => void) | null = null;
  private readonly packed: { study: Omit<Study, "trials">; trials: PackedTrials } | null;

  /** `trials`: the study's trials already packed (as the validation worker sends them), to skip packing them again. */
  constructor(
    private readonly code: string,
    study: Study | null,
    trials?: PackedTrials,
  ) {
    if (!study) this.packed = null;
    else {
      const { trials: rows, ...rest } = study;
      this.packed = { study: rest, trials: trials ?? packTrials(rows) };
    }
  }

  private start(): Worker {
    const url = URL.createObjectURL(new Blob([this.code], { type: "text/javascript" }));
    const w = new Worker(url, { type: "module" });
    URL.revokeObjectURL(url);
    if (this.packed) {
      const trials = copyPacked(this.packed.trials);
      const study: WorkerStudy = { study: this.packed.study, trials };
      w.postMessage({ type: "init", study }, packedBuffers(trials));
    }
    return w;
  }

  /**
   * Validate dropped files in the worker (large files do not freeze the page), with progress. The
   * study's trials come back packed as well as unpacked: `packed` starts an analysis worker without
   * packing them again.
   */
  validate(files: StudyFiles, onProgress: (p: Progress) => void): Promise<ValidationResult & { ms: number; packed: PackedTrials | null }> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const listener = (event: MessageEvent<FromWorker>) => {
        const m = event.data;
        if (m.id !== id) return;
        if (m.type === "progress") onProgress({ phase: m.phase, done: m.done, total: m.total });
        else {
          worker.removeEventListener("message", listener);
          if (m.type === "validated") {
            const study = m.result.study;
            if (study && m.trials) {
              study.trials = unpackTrials(m.trials);
              internStudyIds(study, [...m.trials.participants, ...m.trials.sessions]);
            } else if (study) internStudyIds(study);
            resolve({ ...m.result, ms: performance.now() - t0, packed: m.trials ?? null });
          } else if (m.type === "error") reject(new Error(m.message));
        }
      };
      worker.addEventListener("message", listener);
      worker.postMessage({ type: "validate", id, files });
    });
  }

  /** Run the heavy phases; resolves with the result, rejects if superseded or failed. */
  run(params: AnalysisParams, onProgress: (p: Progress) => void, options: { compare?: boolean } = {}): Promise<HeavyResult & { ms: number }> {
    return this.request({ type: "run", id: 0, params, compare: options.compare ?? true }, "result", onProgress).then((m) => ({ ...(m.result as HeavyResult), ms: m.ms }));
  }

  /** Parameter and model recovery on the study's own designs (runRecovery, as `belief-kit recovery`). */
  recovery(n: number, seed: number, onProgress: (p: Progress) => void): Promise<RecoveryReport & { ms: number }> {
    return this.request({ type: "recovery", id: 0, n, seed }, "recovered", onProgress).then((m) => ({ ...(m.result as RecoveryReport), ms: m.ms }));
  }

  private request(
    message: Extract<ToWorkerRequest, { id: number }>,
    reply: "result" | "recovered",
    onProgress: (p: Progress) => void,
  ): Promise<{ result: unknown; ms: number }> {
    if (this.reject) {
      // A request is still running: stop it.
      this.worker?.terminate();
      this.worker = null;
      this.reject(new Error("superseded"));
      this.reject = null;
    }
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.reject = reject;
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const m = event.data;
        if (m.id !== id) return;
        if (m.type === "progress") onProgress({ phase: m.phase, done: m.done, total: m.total });
        else if (m.type === reply && (m.type === "result" || m.type === "recovered")) {
          this.reject = null;
          resolve({ result: m.result, ms: m.ms });
        } else if (m.type === "error") {
          this.reject = null;
          reject(new Error(m.message));
        }
      };
      worker.onerror = (e) => {
        this.reject = null;
        reject(new Error(e.message));
      };
      worker.postMessage({ ...message, id });
    });
  }

  terminate() {
    this.worker?.terminate();
    this.worker = null;
  }
}
