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
