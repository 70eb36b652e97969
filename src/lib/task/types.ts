/** Types of the scored task: the valence of the news and a scored trial (see news.ts and scoring.ts). */

export type Valence = "good" | "bad";

/** A trial that passed scoring (see scoring.ts for the definitions). */
export interface ScoredTrial {
  participant_id: string;
  session: string;
  event_id: string;
  e1: number;
  br: number;
  e2: number;
  /** Estimation error E1 - BR. */
  ee: number;
  valence: Valence;
  /** Positive when the second estimate moved toward the base rate. */
  update: number;
}
