/** Sensitivity of the indirect effect to mediator-outcome confounding (Imai, Keele & Yamamoto 2010). */
import { centre, SINGULAR_TOL } from "./estimate.js";
import type { MediationData, MediationSensitivity, SensitivityOptions, SensitivityPoint } from "./types.js";

/**
 * Sensitivity of the indirect effect to mediator–outcome confounding, closed form for the
 * linear structural equation model: Imai, Keele & Yamamoto (2010), "Identification, inference
 * and sensitivity analysis for causal mediation effects", Statistical Science 25(1):51–71,
 * Theorem 2 (ACME under a given error correlation ρ):
 *
 *   δ(ρ) = (β2 σ1 / σ2) · { ρ̃ − ρ √[ (1 − ρ̃²) / (1 − ρ²) ] },
 *
 * for the three equations (1) Y = α1 + β1 T + ε1, (2) M = α2 + β2 T + ε2,
 * (3) Y = α3 + β3 T + γ M + ε3, with ρ = corr(ε2, ε3), σj = sd(εj), ρ̃ = corr(ε1, ε2);
 * pre-treatment covariates enter all three equations.
 *
 * Within-subject mapping implemented here (difference scores; the "treatment" is the change of
 * session, so its effect is the intercept), with the centred session mean z = M̄ − mean(M̄) as
 * the covariate in all three equations, as in the Montoya–Hayes outcome model:
 *   (1) ΔY = c + h z + ε1,  (2) ΔM = a + g z + ε2,  (3) ΔY = c′ + b ΔM + d z + ε3.
 * Because z is centred, the intercept of (2) is exactly a = mean ΔM. Estimates: ε̂1, ε̂2 are the
 * OLS residuals of (1) and (2); σ1/σ2 = √(Σε̂1² / Σε̂2²) (common degrees of freedom cancel);
 * ρ̃ = Σε̂1ε̂2 / √(Σε̂1² Σε̂2²). So
 *
 *   indirect(ρ) = a · √(Σε̂1²/Σε̂2²) · { ρ̃ − ρ √[(1 − ρ̃²)/(1 − ρ²)] }.
 *
 * Derivation (why it is exact here): with ε1 = b ε2 + ε3, Cov(ε1, ε2) = b σ2² + ρ σ2 σ3 and
 * σ1² = (b σ2 + ρ σ3)² + σ3²(1 − ρ²); solving gives σ3 = σ1 √[(1 − ρ̃²)/(1 − ρ²)] and
 * b(ρ) = (σ1/σ2)(ρ̃ − ρ σ3/σ1). At ρ = 0, b(0) = Σε̂1ε̂2/Σε̂2², which by Frisch–Waugh–Lovell is
 * exactly the OLS b of (3), so indirect(0) = a·b (the product-of-coefficients estimate).
 * indirect(ρ) = 0 at ρ = ρ̃. ρ is a correlation of errors after partialling out M̄ (a
 * conditional correlation). With a 2-equation version without z the ρ = 0 value would be the
 * simple-regression slope and would not reproduce the Montoya–Hayes a·b, hence z is kept.
 */
export function mediationSensitivity(data: MediationData, options: SensitivityOptions = {}): MediationSensitivity {
  const from = options.from ?? -0.9;
  const to = options.to ?? 0.9;
  const step = options.step ?? 0.01;
  if (!(from > -1 && to < 1 && from <= to)) throw new Error(`sensitivity: need −1 < from ≤ to < 1, got [${from}, ${to}]`);
  if (!(step > 0)) throw new Error(`sensitivity: step must be > 0, got ${step}`);
  const c = centre(data);
  const { n, x, y, z, xMean } = c;
  let Szz = 0, Sxz = 0, Syz = 0;
  for (let i = 0; i < n; i++) {
    Szz += z[i] * z[i];
    Sxz += x[i] * z[i];
    Syz += y[i] * z[i];
  }
  const g = Szz > 0 ? Sxz / Szz : 0;
  const h = Szz > 0 ? Syz / Szz : 0;
  let s11 = 0, s22 = 0, s12 = 0;
  for (let i = 0; i < n; i++) {
    const e1 = y[i] - h * z[i];
    const e2 = x[i] - g * z[i];
    s11 += e1 * e1;
    s22 += e2 * e2;
    s12 += e1 * e2;
  }
  const a = xMean;
  if (!(s22 > SINGULAR_TOL * n * c.xScale)) {
    throw new Error(
      `Within-subject mediation sensitivity: ΔM is constant or collinear with the centred mean of M ` +
        `across the ${n} participants, so the mediator residual variance is 0.`,
    );
  }
  // s11 = 0 means ΔY is exactly linear in z: then b(ρ) = 0 for every ρ and ρ̃ is undefined.
  const defined = s11 > 0;
  const rhoTilde = defined ? s12 / Math.sqrt(s11 * s22) : null;
  const sigmaRatio = defined ? Math.sqrt(s11 / s22) : null;
  const count = Math.floor((to - from) / step + 1e-9);
  const curve: SensitivityPoint[] = [];
  for (let k = 0; k <= count; k++) {
    // Round away floating-point drift of from + k·step (grid values are for display).
    const rho = Math.round((from + k * step) * 1e12) / 1e12 + 0; // + 0 turns −0 into 0
    curve.push({ rho, indirect: sensitivityIndirect(a, sigmaRatio, rhoTilde, rho) });
  }
  return {
    a,
    rho_tilde: rhoTilde,
    rho_zero: rhoTilde !== null && a !== 0 ? rhoTilde : null,
    sigma_ratio: sigmaRatio,
    curve,
  };
}

/** Indirect effect at any ρ in (−1, 1) from a sensitivity result (same closed form as its curve). */
export function sensitivityIndirectAt(sensitivity: MediationSensitivity, rho: number): number {
  if (!(rho > -1 && rho < 1)) throw new Error(`sensitivity: ρ must be in (−1, 1), got ${rho}`);
  return sensitivityIndirect(sensitivity.a, sensitivity.sigma_ratio, sensitivity.rho_tilde, rho);
}

/** indirect(ρ) = a (σ1/σ2) { ρ̃ − ρ √[(1 − ρ̃²)/(1 − ρ²)] } (see `mediationSensitivity`); 0 if undefined. */
function sensitivityIndirect(a: number, sigmaRatio: number | null, rhoTilde: number | null, rho: number): number {
  if (sigmaRatio === null || rhoTilde === null) return 0;
  const rt2 = Math.min(1, rhoTilde * rhoTilde);
  return a * sigmaRatio * (rhoTilde - rho * Math.sqrt((1 - rt2) / (1 - rho * rho)));
}

