/**
 * Seeded random numbers. All randomness in the kit (simulation, bootstrap, recovery)
 * goes through here so that a seed reproduces a result exactly, in Node and in the browser.
 * The uniform source is d3-random's linear congruential generator (randomLcg).
 */
import { randomLcg, randomNormal, randomInt } from "d3-random";

export interface Rng {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Normal with the given mean and standard deviation. */
  normal(mean?: number, sd?: number): number;
  /** Integer uniform on [0, n). */
  int(n: number): number;
}

/** d3.randomLcg takes a seed in [0, 1); map any integer seed onto it deterministically. */
export function seedToUnit(seed: number): number {
  const x = Math.sin(seed * 9301 + 49297) * 233280;
  return x - Math.floor(x);
}

export function createRng(seed: number): Rng {
  const source = randomLcg(seedToUnit(seed));
  const std = randomNormal.source(source)(0, 1);
  const intSource = randomInt.source(source);
  return {
    uniform: source,
    normal: (mean = 0, sd = 1) => mean + sd * std(),
    int: (n: number) => intSource(n)(),
  };
}
