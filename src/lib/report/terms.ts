/**
 * Readable names of R's coefficient names (treatment contrasts): "groupTRD:sessionpost1:valencegood"
 * -> "group TRD × session post1 × good news". Pure.
 */

export interface TermLevels {
  /** Levels of the factors of the model, reference first. */
  group?: readonly string[];
  session?: readonly string[];
  valence?: readonly string[];
  /** Any other factor (crossover: condition, period; parallel: arm). */
  [factor: string]: readonly string[] | undefined;
}

/** One component of an interaction: a factor with its level, or a covariate. */
function component(c: string, levels: TermLevels): string {
  // The longest factor name that prefixes the component and whose remainder is one of its levels.
  const factors = Object.keys(levels).sort((a, b) => b.length - a.length);
  for (const f of factors) {
    const lv = levels[f];
    if (!lv || !c.startsWith(f)) continue;
    const level = c.slice(f.length);
    if (lv.includes(level)) {
      if (f === "valence") return level === "good" ? "good news" : "bad news";
      return `${f} ${level}`;
    }
  }
  return c;
}

/** The readable label of a coefficient. */
export function termLabel(term: string, levels: TermLevels): string {
  if (term === "(Intercept)") return "intercept";
  return term
    .split(":")
    .map((c) => component(c, levels))
    .join(" × ");
}

/** The readable label of an ANOVA term ("group:session:valence" -> "group × session × valence"). */
export function anovaTermLabel(term: string): string {
  return term.split(":").join(" × ");
}
