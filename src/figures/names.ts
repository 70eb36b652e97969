/**
 * The figures of the registry (src/figures/registry.ts, which checks it draws exactly these), listed
 * here so that the command line can check its options without loading the charts. Pure. `extra`: only
 * rendered when named with --figures.
 */
export const FIGURE_LIST: readonly { name: string; title: string; extra?: boolean }[] = [
  { name: "updates", title: "Mean belief update by news valence, group and session" },
  { name: "learning-rates", title: "Learning rates for good and bad news across sessions (slope chart)" },
  { name: "mediation", title: "Mediation: scatter of the changes and path diagram" },
  { name: "bootstrap", title: "Bootstrap distribution of the indirect effect" },
  { name: "participant", title: "Participant panel: trials and clinical trajectory" },
  { name: "lr-means", title: "Mean learning rate by news valence, group and session" },
  { name: "sensitivity", title: "Sensitivity of the indirect effect to unmeasured confounding" },
  { name: "model-comparison", title: "Model comparison: ΔBIC relative to the best model" },
  { name: "mediation-scatter", title: "Mediation scatter alone", extra: true },
];

/** The trial designs with figures of their own (study.json "design"); any other study is a belief-updating study. */
export type TrialDesignName = "crossover" | "parallel";
export const TRIAL_DESIGNS: readonly TrialDesignName[] = ["crossover", "parallel"];

export function trialDesignOf(meta: { design?: string }): TrialDesignName | null {
  return meta.design === "crossover" || meta.design === "parallel" ? meta.design : null;
}

export interface DesignFigureEntry {
  name: string;
  title: string;
  extra?: boolean;
  /** The scale of a one-scale trajectories figure (its name in study.json); null otherwise. */
  scale: string | null;
}

/**
 * A scale's name as part of a figure name: a hyphen between two letters dropped, lower case, runs
 * of other characters as "-" ("HAM-D-17" → "hamd-17", "HAM-D-6" → "hamd-6", "YMRS (total)" → "ymrs-total").
 */
export function scaleSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/(?<=[A-Za-z])-(?=[A-Za-z])/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The scales a design study's trajectories show: the primary scale first, then the secondary ones. */
export function designScaleNames(meta: { clinical_scale?: { name: string }; secondary_scales?: readonly { name: string }[] }): string[] {
  return [meta.clinical_scale?.name ?? "clinical score", ...(meta.secondary_scales ?? []).map((s) => s.name)];
}

/**
 * The figures of a crossover or parallel study (pure, from study.json): `trajectories` (every
 * scale, stacked), `response`, and `trajectories-<scale>` per scale (extra: only with --figures).
 */
export function designFigureList(meta: {
  design?: string;
  clinical_scale?: { name: string };
  secondary_scales?: readonly { name: string }[];
  response?: { threshold: number; session: string };
  sessions: readonly string[];
}): DesignFigureEntry[] {
  const design = trialDesignOf(meta);
  if (!design) throw new Error(`designFigureList: design ${JSON.stringify(meta.design ?? "belief-updating")} has no trial-design figures`);
  const by = design === "crossover" ? "condition" : "arm";
  const scales = designScaleNames(meta);
  const used = new Set<string>(["trajectories", "response"]);
  const perScale = scales.map((scale, i) => {
    let name = `trajectories-${scaleSlug(scale) || `scale-${i + 1}`}`;
    if (used.has(name)) name = `${name}-${i + 1}`;
    used.add(name);
    return { name, title: `${scale} across time points, by ${by}`, extra: true, scale };
  });
  const threshold = meta.response?.threshold ?? 0.5;
  const session = meta.response?.session ?? meta.sessions[1];
  return [
    { name: "trajectories", title: scales.length > 1 ? `Scores across time points, by ${by}: ${scales.join(", ")} (stacked)` : `${scales[0]} across time points, by ${by}`, scale: null },
    { name: "response", title: `Response rate by ${by} (≥ ${+(100 * threshold).toPrecision(6)} % reduction of ${scales[0]} at ${session})`, scale: null },
    ...perScale,
  ];
}

/** What `npm run figures -- --list` shows for a design without a study at hand. */
export const DESIGN_FIGURE_TEMPLATES: Record<TrialDesignName, readonly { name: string; title: string; extra?: boolean }[]> = {
  crossover: [
    { name: "trajectories", title: "Every scale's scores across time points, one panel per condition (scales stacked)" },
    { name: "response", title: "Response rate by condition, exact 95% interval (McNemar test in the sidecar)" },
    { name: "trajectories-<scale>", title: "One scale's trajectories (e.g. trajectories-hamd-17, trajectories-hamd-6)", extra: true },
  ],
  parallel: [
    { name: "trajectories", title: "Every scale's scores across time points, one panel per arm (scales stacked)" },
    { name: "response", title: "Response rate by arm, exact 95% interval (Fisher's exact test in the sidecar)" },
    { name: "trajectories-<scale>", title: "One scale's trajectories (e.g. trajectories-madrs)", extra: true },
  ],
};
