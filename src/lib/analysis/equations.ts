/**
 * The equations of the analyses, in TeX: what the Data and methods page renders (as MathML, at build
 * time: src/data/equations.json.ts, no web font and no script in the browser) and the docs quote.
 */
export interface Equation {
  label: string;
  tex: string;
}

export const EQUATIONS: readonly Equation[] = [
  { label: "Estimation error and news (negative event; for a positive event good news is BR > E1)", tex: String.raw`\mathrm{EE} = E_1 - \mathrm{BR}, \qquad \text{good news} \iff \mathrm{BR} < E_1` },
  { label: "Update toward the base rate", tex: String.raw`\mathrm{update} = \begin{cases} E_1 - E_2 & \mathrm{BR} < E_1 \\ E_2 - E_1 & \mathrm{BR} > E_1 \end{cases}` },
  { label: "Learning-rate models, per participant and session", tex: String.raw`E_2 = E_1 + \alpha_v\,(\mathrm{BR} - E_1) + \varepsilon, \qquad \varepsilon \sim \mathcal{N}(0, \sigma^2)` },
  { label: "Valence model (least squares = maximum likelihood)", tex: String.raw`\hat\alpha_v = \frac{\sum (E_2 - E_1)(\mathrm{BR} - E_1)}{\sum (\mathrm{BR} - E_1)^2}` },
  { label: "Scaling-asymmetry model", tex: String.raw`\alpha = s + N k, \qquad N = +1 \text{ (good news)}, -1 \text{ (bad news)}` },
  { label: "EE-weighted model", tex: String.raw`\alpha = \alpha_v + \beta\,\frac{|\mathrm{EE}| - \overline{|\mathrm{EE}|}}{\mathrm{sd}\,|\mathrm{EE}|}` },
  { label: "Bayesian asymmetry model (variational Laplace, as the VBA toolbox)", tex: String.raw`\alpha = e^{a} + N\,e^{b}, \qquad (a, b) \sim \mathcal{N}(\mu, \Sigma), \quad \tfrac{1}{\sigma^2} \sim \mathrm{Gamma}(k, \theta)` },
  { label: "Linear mixed model (REML; Satterthwaite df)", tex: String.raw`\mathrm{update} = X\beta + Z b + e, \qquad b \sim \mathcal{N}(0, \sigma^2 \Lambda_\theta \Lambda_\theta^\top), \; e \sim \mathcal{N}(0, \sigma^2 I)` },
  { label: "Within-participant mediation (Montoya & Hayes 2017)", tex: String.raw`a = \overline{\Delta M}, \quad c = \overline{\Delta Y}, \quad \Delta Y_i = c' + b\,\Delta M_i + d\,(\bar M_i - \bar{\bar M}) + e_i, \quad \text{indirect} = a\,b` },
];
