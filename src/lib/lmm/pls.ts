/**
 * The profiled deviance of a general linear mixed model (Bates, Maechler, Bolker & Walker 2015,
 * J. Stat. Softw. 67(1), section 3), evaluated from sufficient statistics with a block Cholesky
 * factorisation that exploits the structure of typical designs.
 *
 * With relative covariance factor Lambda(theta) (block diagonal: one lower-triangular template
 * T_k per term and level), the penalised least-squares system is the Cholesky factorisation of
 *
 *     [ Lambda'Z'Z Lambda + I   Lambda'Z'X~ ]        X~ = [X  y]
 *     [ X~'Z Lambda             X~'X~       ]
 *
 * whose pivots give log|L_theta|^2, log|R_X|^2, beta_hat and the penalised RSS r^2 (the last
 * pivot). The random-effect columns are split in two:
 *   - block 0: the grouping factor with the most random effects (levels x columns; every term
 *     with that same factor joins it, as `||` terms do). Its part of the matrix
 *     is block diagonal, one q0 x q0 block D_i = T0' K_i T0 + I per level (K_i = Z_i'Z_i), and is
 *     eliminated level by level;
 *   - the rest (few levels: events, items, outer nesting levels) together with X and y forms a
 *     dense Schur complement
 *         S = (Lambda2 + I)' [ W~'W~ - sum_i E_i' T0 D_i^-1 T0' E_i ] (Lambda2 + I) + [I 0; 0 0],
 *     E_i = Z_i' W~ (W~ = [Z2 X y]), factorised by a dense Cholesky.
 * Everything is built in one pass over the rows; an evaluation never touches the rows again. Its
 * cost is that of the level updates (sum_i q0 nnz(E_i)^2, or, when many levels share the same K_i
 * -- balanced designs -- per distinct K_i with pre-summed E_i'E_i products) plus the dense
 * Cholesky of S (size: random effects outside block 0 + p + 1).
 */
import { templateOf, thetaLayout, type ThetaLayout } from "./lambda.js";
import type { MixedFrame } from "./mframe.js";

export { canonicalTheta, covFromRX, templateOf, thetaLayout, type ThetaLayout } from "./lambda.js";

export interface PlsEvaluation {
  /** log |L_theta|^2. */
  ldL2: number;
  /** log |R_X|^2. */
  ldRX2: number;
  /** Penalised residual sum of squares r^2(theta). */
  pwrss: number;
  /** REML criterion or ML deviance (-2 log-likelihood) at theta. */
  deviance: number;
  /** beta_hat(theta) (length p). */
  beta: Float64Array;
  /** R_X lower factor (row-major p x p): R_X R_X' = X'V0^-1 X; filled when requested. */
  RX?: Float64Array;
}

/** Cholesky in place of a row-major symmetric m x m matrix (lower triangle used); returns log det or NaN if not PD. */
function cholSmall(A: Float64Array, m: number): number {
  let ld = 0;
  for (let j = 0; j < m; j++) {
    let d = A[j * m + j];
    for (let t = 0; t < j; t++) d -= A[j * m + t] * A[j * m + t];
    if (!(d > 0)) return NaN;
    const l = Math.sqrt(d);
    A[j * m + j] = l;
    ld += 2 * Math.log(l);
    for (let i = j + 1; i < m; i++) {
      let s = A[i * m + j];
      for (let t = 0; t < j; t++) s -= A[i * m + t] * A[j * m + t];
      A[i * m + j] = s / l;
    }
  }
  return ld;
}

export class MixedPls {
  readonly n: number;
  readonly p: number;
  readonly layout: ThetaLayout;
  readonly reml: boolean;
  /** Terms in block 0 (indices into frame.random), and the rest. */
  readonly block0: number[];
  readonly rest: number[];
  readonly q0: number;
  readonly Q2: number;
  readonly Q: number;
  readonly yShift: number;
  readonly mode: "class" | "level";
  private readonly Sraw: Float64Array;
  private readonly restOffset: number[];
  private readonly restLevels: number[];
  // level mode
  private readonly nLevels0: number;
  private readonly Kall: Float64Array;
  private readonly Eptr: Int32Array;
  private readonly Eidx: Int32Array;
  /** Values of E_i, column by column (q0 per column). */
  private readonly Eval: Float64Array;
  // class mode
  private readonly classK: Float64Array[];
  private readonly classCount: number[];
  private readonly classH: Float64Array[][];
  private readonly S: Float64Array;
  // Work buffers of evaluate() (no allocation per evaluation).
  private readonly wT0: Float64Array;
  private readonly wD: Float64Array;
  private readonly wM: Float64Array;
  private readonly wW: Float64Array;
  private readonly wF: Float64Array;
  private readonly wT: Float64Array[];
  private readonly wTmp: Float64Array;

  constructor(frame: MixedFrame, reml = true) {
    const { n, X, y, random } = frame;
    const p = frame.columns.length;
    this.n = n;
    this.p = p;
    this.reml = reml;
    this.layout = thetaLayout(random.map((b) => b.q));
    // Block 0: the grouping factor with the most random effects (levels x columns, summed over its terms).
    const key = (b: (typeof random)[number]): string => b.term.groupVariables.join("\u0000");
    const total = new Map<string, number>();
    for (const b of random) total.set(key(b), (total.get(key(b)) ?? 0) + b.q * b.nLevels);
    const g0 = random.reduce((best, b) => ((total.get(key(b)) ?? 0) > (total.get(key(best)) ?? 0) ? b : best), random[0]);
    const sameFactor = (b: (typeof random)[number]): boolean => key(b) === key(g0);
    this.block0 = random.map((_, k) => k).filter((k) => sameFactor(random[k]));
    this.rest = random.map((_, k) => k).filter((k) => !sameFactor(random[k]));
    const q0 = (this.q0 = this.block0.reduce((s, k) => s + random[k].q, 0));
    this.restOffset = [];
    this.restLevels = [];
    let Q2 = 0;
    for (const k of this.rest) {
      this.restOffset.push(Q2);
      this.restLevels.push(random[k].nLevels);
      Q2 += random[k].q * random[k].nLevels;
    }
    this.Q2 = Q2;
    const Q = (this.Q = Q2 + p + 1);
    if (Q > 4000) {
      throw new Error(
        `The random effects outside the largest grouping factor number ${Q2}; this engine factorises them densely and supports at most ~4000 (two crossed factors that both have thousands of levels are not supported)`,
      );
    }
    const intercept = frame.columns.length > 0 && frame.columns[0].name === "(Intercept)";
    let ym = 0;
    if (intercept) {
      for (let i = 0; i < n; i++) ym += y[i];
      ym /= n;
    }
    this.yShift = ym;

    // Row-wise sparse vectors w = [Z2 part, X, y - shift] and z0 (block-0 columns).
    const Sraw = (this.Sraw = new Float64Array(Q * Q));
    const L0 = g0.nLevels;
    this.nLevels0 = L0;
    const lev0 = g0.levelOf;
    const wIdx = new Int32Array(Q);
    const wVal = new Float64Array(Q);
    const z0 = new Float64Array(q0);
    // Rows grouped by level of block 0 (counting sort).
    const start = new Int32Array(L0 + 1);
    for (let i = 0; i < n; i++) start[lev0[i] + 1]++;
    for (let l = 0; l < L0; l++) start[l + 1] += start[l];
    const order = new Int32Array(n);
    const fill = start.slice(0, L0);
    for (let i = 0; i < n; i++) order[fill[lev0[i]]++] = i;

    const Kall = (this.Kall = new Float64Array(L0 * q0 * q0));
    const scratch = new Float64Array(q0 * Q);
    const touched = new Uint8Array(Q);
    const touchedList = new Int32Array(Q);
    // E_i in compressed rows: level l's columns Eidx[Eptr[l] .. Eptr[l+1]), values q0 per column.
    let rowMax = p + 1;
    for (const k of this.rest) rowMax += random[k].q;
    const cap = Math.min(L0 * Q, n * rowMax);
    const Eidx = new Int32Array(cap);
    const Eval = new Float64Array(cap * q0);
    const Eptr = new Int32Array(L0 + 1);
    const restBlocks = this.rest.map((k) => random[k]);
    const restOff = this.restOffset;
    const b0 = this.block0.map((k) => random[k]);
    let used = 0;
    for (let l = 0; l < L0; l++) {
      let nt = 0;
      for (let r = start[l]; r < start[l + 1]; r++) {
        const i = order[r];
        // w
        let m = 0;
        for (let t = 0; t < restBlocks.length; t++) {
          const b = restBlocks[t];
          const base = restOff[t] + b.levelOf[i] * b.q;
          for (let j = 0; j < b.q; j++) {
            const v = b.Z[i * b.q + j];
            if (v !== 0) {
              wIdx[m] = base + j;
              wVal[m++] = v;
            }
          }
        }
        for (let j = 0, o2 = i; j < p; j++, o2 += n) {
          const v = X[o2];
          if (v !== 0) {
            wIdx[m] = Q2 + j;
            wVal[m++] = v;
          }
        }
        wIdx[m] = Q - 1;
        wVal[m++] = y[i] - ym;
        // W~'W~ (upper triangle; indices ascending)
        for (let a = 0; a < m; a++) {
          const va = wVal[a];
          const row = wIdx[a] * Q;
          for (let c = a; c < m; c++) Sraw[row + wIdx[c]] += va * wVal[c];
        }
        // z0 and K, E
        if (b0.length === 1) {
          const Z = b0[0].Z;
          for (let j = 0, o2 = i * q0; j < q0; j++) z0[j] = Z[o2 + j];
        } else {
          let o = 0;
          for (let t = 0; t < b0.length; t++) {
            const b = b0[t];
            for (let j = 0; j < b.q; j++) z0[o++] = b.Z[i * b.q + j];
          }
        }
        const Ko = l * q0 * q0;
        for (let a = 0; a < q0; a++) {
          const za = z0[a];
          if (za === 0) continue;
          for (let c = 0; c < q0; c++) Kall[Ko + a * q0 + c] += za * z0[c];
          const so = a * Q;
          for (let t = 0; t < m; t++) scratch[so + wIdx[t]] += za * wVal[t];
        }
        for (let t = 0; t < m; t++) {
          const c = wIdx[t];
          if (touched[c] === 0) {
            touched[c] = 1;
            touchedList[nt++] = c;
          }
        }
      }
      // Touched columns in ascending order: a scan of the flags when Q is small, else a sort.
      let list: Int32Array;
      if (Q <= 8 * nt + 64) {
        let c2 = 0;
        for (let c = 0; c < Q; c++) if (touched[c]) touchedList[c2++] = c;
        list = touchedList.subarray(0, c2);
      } else list = touchedList.subarray(0, nt).sort();
      Eptr[l] = used;
      for (let t = 0; t < nt; t++) {
        const c = list[t];
        Eidx[used + t] = c;
        for (let a = 0; a < q0; a++) {
          Eval[(used + t) * q0 + a] = scratch[a * Q + c];
          scratch[a * Q + c] = 0;
        }
        touched[c] = 0;
      }
      used += nt;
    }
    Eptr[L0] = used;
    this.Eptr = Eptr;
    this.Eidx = Eidx;
    this.Eval = Eval;
    for (let a = 0; a < Q; a++) for (let c = 0; c < a; c++) Sraw[a * Q + c] = Sraw[c * Q + a];

    // Levels that share K_i (balanced designs): pre-sum E_i' E_i products per class when cheaper.
    // Classes of equal K_i: a numeric hash, then an exact comparison with the class's first level.
    const classOf = new Map<number, number[]>();
    const members: number[][] = [];
    const qq = q0 * q0;
    for (let l = 0; l < L0; l++) {
      let h = 0;
      for (let t = 0; t < qq; t++) h = h * 31.7 + Kall[l * qq + t];
      let bucket = classOf.get(h);
      if (!bucket) classOf.set(h, (bucket = []));
      let c = -1;
      for (const cand of bucket) {
        const f = members[cand][0];
        let same = true;
        for (let t = 0; t < qq && same; t++) same = Kall[f * qq + t] === Kall[l * qq + t];
        if (same) {
          c = cand;
          break;
        }
      }
      if (c < 0) {
        c = members.length;
        members.push([]);
        bucket.push(c);
      }
      members[c].push(l);
    }
    const pairs = (q0 * (q0 + 1)) / 2;
    let levelCost = 0;
    for (let l = 0; l < L0; l++) levelCost += q0 * (Eptr[l + 1] - Eptr[l]) ** 2;
    const classCost = members.length * pairs * Q * Q;
    this.mode = classCost < levelCost && classCost <= 3e7 ? "class" : "level";
    this.classK = [];
    this.classCount = [];
    this.classH = [];
    if (this.mode === "class") {
      for (const ms of members) {
        this.classK.push(Kall.slice(ms[0] * q0 * q0, (ms[0] + 1) * q0 * q0));
        this.classCount.push(ms.length);
        // H_ab = G_ab + G_ab' (a < b) or G_aa, G_ab = sum over the class of E_i[a]' E_i[b]:
        // upper triangles only (E_i's columns ascend), one pass over the members for all pairs.
        const pa: number[] = [];
        const pb: number[] = [];
        for (let a = 0; a < q0; a++)
          for (let b = a; b < q0; b++) {
            pa.push(a);
            pb.push(b);
          }
        const H: Float64Array[] = pa.map(() => new Float64Array(Q * Q));
        for (const l of ms) {
          const e0 = Eptr[l];
          const e1 = Eptr[l + 1];
          for (let s = e0; s < e1; s++) {
            const rs = Eidx[s] * Q;
            const so = s * q0;
            for (let t = s; t < e1; t++) {
              const at = rs + Eidx[t];
              const to = t * q0;
              for (let h = 0; h < pa.length; h++) {
                const a = pa[h];
                const b = pb[h];
                H[h][at] += a === b ? Eval[so + a] * Eval[to + a] : Eval[so + a] * Eval[to + b] + Eval[so + b] * Eval[to + a];
              }
            }
          }
        }
        this.classH.push(H);
      }
    }
    this.S = new Float64Array(Q * Q);
    this.wT0 = new Float64Array(q0 * q0);
    this.wD = new Float64Array(q0 * q0);
    this.wM = new Float64Array(q0 * q0);
    this.wW = new Float64Array(q0 * q0);
    this.wF = new Float64Array(q0 * Q);
    this.wT = random.map((b) => new Float64Array(b.q * b.q));
    this.wTmp = new Float64Array(Math.max(1, ...random.map((b) => b.q)));
  }

  /** Evaluate the profiled criterion at theta (withRX: also keep R_X for the covariance of beta). */
  evaluate(theta: ArrayLike<number>, withRX = false): PlsEvaluation {
    const { Q, Q2, p, q0, layout } = this;
    const S = this.S;
    S.set(this.Sraw);
    // T0 = blockdiag of the block-0 templates.
    const T0 = this.wT0;
    T0.fill(0);
    let o = 0;
    for (const k of this.block0) {
      const q = layout.q[k];
      const T = templateOf(theta, layout, k, this.wT[k]);
      for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) T0[(o + i) * q0 + o + j] = T[i * q + j];
      o += q;
    }
    const D = this.wD;
    const M = this.wM;
    const W = this.wW;
    let ldL2 = 0;
    // W(K) = T0 D^-1 T0',  D = T0' K T0 + I;  returns log|D|.
    const weight = (K: Float64Array, Ko: number): number => {
      for (let i = 0; i < q0; i++)
        for (let j = 0; j < q0; j++) {
          let s = 0;
          for (let a = 0; a < q0; a++) {
            const tai = T0[a * q0 + i];
            if (tai === 0) continue;
            for (let b = 0; b < q0; b++) s += tai * K[Ko + a * q0 + b] * T0[b * q0 + j];
          }
          D[i * q0 + j] = s + (i === j ? 1 : 0);
        }
      const ld = cholSmall(D, q0);
      // M = T0 C^-T  (C lower, D = C C'):  M C' = T0  -> solve row by row
      for (let r = 0; r < q0; r++)
        for (let j = 0; j < q0; j++) {
          let s = T0[r * q0 + j];
          for (let t = 0; t < j; t++) s -= M[r * q0 + t] * D[j * q0 + t];
          M[r * q0 + j] = s / D[j * q0 + j];
        }
      for (let i = 0; i < q0; i++)
        for (let j = 0; j < q0; j++) {
          let s = 0;
          for (let t = 0; t < q0; t++) s += M[i * q0 + t] * M[j * q0 + t];
          W[i * q0 + j] = s;
        }
      return ld;
    };
    if (this.mode === "class") {
      for (let c = 0; c < this.classK.length; c++) {
        ldL2 += this.classCount[c] * weight(this.classK[c], 0);
        const H = this.classH[c];
        let h = 0;
        for (let a = 0; a < q0; a++)
          for (let b = a; b < q0; b++) {
            const w = W[a * q0 + b];
            const Hm = H[h++];
            if (w === 0) continue;
            for (let r = 0; r < Q; r++) for (let t = r * Q + r; t < (r + 1) * Q; t++) S[t] -= w * Hm[t];
          }
      }
      for (let a = 0; a < Q; a++) for (let c = 0; c < a; c++) S[a * Q + c] = S[c * Q + a];
    } else {
      const F = this.wF;
      for (let l = 0; l < this.nLevels0; l++) {
        ldL2 += weight(this.Kall, l * q0 * q0);
        const e0 = this.Eptr[l];
        const nnz = this.Eptr[l + 1] - e0;
        const idx = this.Eidx;
        const v = this.Eval;
        // F = M' E  (q0 x nnz), then S[idx, idx] -= F'F
        for (let a = 0; a < q0; a++)
          for (let t = 0; t < nnz; t++) {
            let s = 0;
            for (let r = 0; r < q0; r++) s += M[r * q0 + a] * v[(e0 + t) * q0 + r];
            F[a * nnz + t] = s;
          }
        for (let a = 0; a < q0; a++) {
          const fa = a * nnz;
          for (let s = 0; s < nnz; s++) {
            const fs = F[fa + s];
            if (fs === 0) continue;
            const rs = idx[e0 + s] * Q;
            for (let t = s; t < nnz; t++) S[rs + idx[e0 + t]] -= fs * F[fa + t];
          }
        }
      }
      for (let a = 0; a < Q; a++) for (let c = 0; c < a; c++) S[a * Q + c] = S[c * Q + a];
    }
    if (!Number.isFinite(ldL2)) throw new Error("The random-effects factor is not positive definite at theta");
    // Scale the rest by Lambda2: rows and columns of each (term, level) block by its template.
    this.rest.forEach((k, t) => {
      const q = layout.q[k];
      const T = templateOf(theta, layout, k, this.wT[k]);
      const base = this.restOffset[t];
      const tmp = this.wTmp;
      for (let l = 0; l < this.restLevels[t]; l++) {
        const c0 = base + l * q;
        // columns: S[:, c0..] <- S[:, c0..] T
        for (let r = 0; r < Q; r++) {
          for (let j = 0; j < q; j++) {
            let s = 0;
            for (let a = j; a < q; a++) s += S[r * Q + c0 + a] * T[a * q + j];
            tmp[j] = s;
          }
          for (let j = 0; j < q; j++) S[r * Q + c0 + j] = tmp[j];
        }
        // rows: S[c0.., :] <- T' S[c0.., :]
        for (let c = 0; c < Q; c++) {
          for (let j = 0; j < q; j++) {
            let s = 0;
            for (let a = j; a < q; a++) s += T[a * q + j] * S[(c0 + a) * Q + c];
            tmp[j] = s;
          }
          for (let j = 0; j < q; j++) S[(c0 + j) * Q + c] = tmp[j];
        }
      }
    });
    for (let j = 0; j < Q2; j++) S[j * Q + j] += 1;
    // Dense Cholesky of S (lower, row-major), pivots: Q2 random effects, p fixed effects, r^2.
    let ldRX2 = 0;
    let pwrss = 0;
    for (let j = 0; j < Q; j++) {
      const rj = j * Q;
      let d = S[rj + j];
      for (let t = 0; t < j; t++) d -= S[rj + t] * S[rj + t];
      if (j === Q - 1) {
        pwrss = d;
        break;
      }
      if (!(d > 0)) {
        if (j < Q2) throw new Error("The random-effects factor is not positive definite at theta");
        throw new Error("X'V^-1X is not positive definite (the fixed-effect design is degenerate)");
      }
      const l = Math.sqrt(d);
      S[rj + j] = l;
      if (j < Q2) ldL2 += 2 * Math.log(l);
      else ldRX2 += 2 * Math.log(l);
      for (let i = j + 1; i < Q; i++) {
        const ri = i * Q;
        let s = S[ri + j];
        for (let t = 0; t < j; t++) s -= S[ri + t] * S[rj + t];
        S[ri + j] = s / l;
      }
    }
    if (!(pwrss > 0)) throw new Error("The penalised residual sum of squares is zero: the model fits the data exactly");
    // beta: R_X' beta = c_beta, R_X = S[Q2.., Q2..] (lower), c_beta = S[Q-1, Q2..]
    const beta = new Float64Array(p);
    for (let i = p - 1; i >= 0; i--) {
      let s = S[(Q - 1) * Q + Q2 + i];
      for (let t = i + 1; t < p; t++) s -= S[(Q2 + t) * Q + Q2 + i] * beta[t];
      beta[i] = s / S[(Q2 + i) * Q + Q2 + i];
    }
    if (this.yShift !== 0) beta[0] += this.yShift;
    const n = this.n;
    const deviance = this.reml
      ? ldL2 + ldRX2 + (n - p) * (1 + Math.log((2 * Math.PI * pwrss) / (n - p)))
      : ldL2 + n * (1 + Math.log((2 * Math.PI * pwrss) / n));
    const out: PlsEvaluation = { ldL2, ldRX2, pwrss, deviance, beta };
    if (withRX) {
      const RX = new Float64Array(p * p);
      for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) RX[i * p + j] = S[(Q2 + i) * Q + Q2 + j];
      out.RX = RX;
    }
    return out;
  }

  /** The criterion only (what the optimiser calls); +Infinity where the factorisation fails. */
  criterion(theta: ArrayLike<number>): number {
    try {
      return this.evaluate(theta).deviance;
    } catch {
      return Infinity;
    }
  }
}

