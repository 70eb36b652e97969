/** Readers of the VBA fixtures in test/fixtures/bayes/ (written by test/octave/*.m). */
import { readFileSync } from "node:fs";
import type { SessionInput } from "../../../../src/lib/models/bayes/index.js";

/** Octave's jsonencode writes a 1-element vector as a number and a matrix as nested arrays: flatten both. */
export const flat = (x: unknown): number[] => (Array.isArray(x) ? (x.flat(3) as number[]) : [x as number]);

export interface VlFixtureSession {
  id: string;
  source: "simulated" | "study";
  participant_id: string;
  session: string;
  E1: number | number[];
  BR: number | number[];
  E2: number | number[];
  N: number | number[];
  n_skipped: number;
}

export interface VlFixtureFit {
  session_index: number;
  model: string;
  preset: "kit" | "greaves";
  layout: "static" | "timeseries" | "greaves-upd_model-numeric-gradients";
  mu: number | number[];
  Sigma: number | number[][];
  a_sigma: number;
  b_sigma: number;
  F: number;
  it: number;
  CV: boolean;
}

export interface VlFixture {
  meta: Record<string, string>;
  priors: Record<"kit" | "greaves", Record<string, { mean: number | number[]; covariance: number | number[][]; shape: number; rate: number }>>;
  sessions: VlFixtureSession[];
  fits: VlFixtureFit[];
  checks: VlFixtureFit[];
}

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/bayes/${name}`, import.meta.url), "utf8")) as T;
}

export const sessionInput = (s: VlFixtureSession): SessionInput => ({ e1: flat(s.E1), br: flat(s.BR), e2: flat(s.E2), n: flat(s.N) });
