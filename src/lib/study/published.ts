/**
 * Published figures that the kit shows beside its own results, keyed by study id.
 * Bottemanne et al. (2022), JAMA Psychiatry 79(11):1124-1132, abstract (copied from the
 * project's shared reference file bottemanne2022.json).
 */
export interface PublishedFigures {
  citation: string;
  lmm: { term: string; beta: number; ci95: [number, number]; t: number; df: number; p: number; covariates: string[]; note: string };
  learning_rates: { group: string; session: string; good: { mean: number; sem: number }; bad: { mean: number; sem: number }; paired_t: number; df: number };
  mediation: { n: number; indirect: number; sem: number; t: number; df: number; z: number; p: number };
}

export const PUBLISHED: Record<string, PublishedFigures> = {
  "ketamine-trd": {
    citation: "Bottemanne H, et al. JAMA Psychiatry 2022;79(11):1124-1132. doi:10.1001/jamapsychiatry.2022.2996",
    lmm: {
      term: "group × time × valence",
      beta: -0.91,
      ci95: [-1.58, -0.24],
      t: -2.67,
      df: 216,
      p: 0.008,
      covariates: ["age", "education"],
      note: "The paper's sign follows its own factor coding; the kit codes HC, pre and bad news as reference levels, so the same effect is positive here.",
    },
    learning_rates: { group: "TRD", session: "post1", good: { mean: 0.51, sem: 0.04 }, bad: { mean: 0.36, sem: 0.03 }, paired_t: 3.8, df: 25 },
    mediation: { n: 26, indirect: -1.0, sem: 0.66, t: -1.53, df: 26, z: -1.98, p: 0.04 },
  },
};
