/**
 * Browser glue: runs the heavy phases in the analysis Web Worker, one request at a time.
 * A newer request terminates a running one (its result would be stale anyway).
 */
import type { AnalysisParams } from "../lib/analysis/params.js";
import { unpackTrials, type StudyDocument } from "../lib/study/document.js";
import type { FromWorker, HeavyResult } from "../workers/protocol.js";
import type { StudyFiles, ValidationResult } from "../lib/study/validate/index.js";
import type { Study } from "../lib/study/types.js";

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

export class AnalysisClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private reject: ((e: Error) => void) | null = null;

  constructor(
    private readonly code: string,
    private readonly study: StudyDocument | null,
  ) {}

  private start(): Worker {
    const url = URL.createObjectURL(new Blob([this.code], { type: "text/javascript" }));
    const w = new Worker(url, { type: "module" });
    URL.revokeObjectURL(url);
    if (this.study) w.postMessage({ type: "init", study: this.study });
    return w;
  }

  /** Validate dropped files in the worker (large files do not freeze the page), with progress. */
  validate(files: StudyFiles, onProgress: (p: Progress) => void): Promise<ValidationResult> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
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
            resolve(m.result);
          }
          else if (m.type === "error") reject(new Error(m.message));
        }
      };
      worker.addEventListener("message", listener);
      worker.postMessage({ type: "validate", id, files });
    });
  }

  /** Run the heavy phases; resolves with the result, rejects if superseded or failed. */
  run(params: AnalysisParams, onProgress: (p: Progress) => void, options: { compare?: boolean } = {}): Promise<HeavyResult & { ms: number }> {
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
        else if (m.type === "result") {
          this.reject = null;
          resolve({ ...m.result, ms: m.ms });
        } else if (m.type === "error") {
          this.reject = null;
          reject(new Error(m.message));
        }
      };
      worker.onerror = (e) => {
        this.reject = null;
        reject(new Error(e.message));
      };
      worker.postMessage({ type: "run", id, params, compare: options.compare ?? true });
    });
  }

  terminate() {
    this.worker?.terminate();
    this.worker = null;
  }
}
