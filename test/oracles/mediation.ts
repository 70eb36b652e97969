/**
 * Oracle of the fused mediation bootstrap and jackknife (src/lib/mediation/resample.ts): the a·b
 * statistic on any index set, for the generic bootstrap and jackknife of test/oracles/bootstrap.ts.
 * The fused loops must give bit-identical replicates (test/lib/mediation/mediation.test.ts).
 */
import type { IndexArray } from "./bootstrap.js";
import { centre, indirectFromSums, type Centred } from "../../src/lib/mediation/estimate.js";
import type { MediationData } from "../../src/lib/mediation/types.js";
import { jackknifeIndirect } from "../../src/lib/mediation/resample.js";

/** Statistic for `bootstrap`: a·b on the participants listed in `indices` (allocation-free). */
function indirectStatistic(c: Centred): (indices: IndexArray) => number {
  const { x, y, z } = c;
  return (indices: IndexArray): number => {
    const m = indices.length;
    let sx = 0, sy = 0, sz = 0, sxx = 0, szz = 0, sxz = 0, sxy = 0, szy = 0;
    for (let k = 0; k < m; k++) {
      const i = indices[k];
      const xi = x[i];
      const yi = y[i];
      const zi = z[i];
      sx += xi;
      sy += yi;
      sz += zi;
      sxx += xi * xi;
      szz += zi * zi;
      sxz += xi * zi;
      sxy += xi * yi;
      szy += zi * yi;
    }
    return indirectFromSums(c, m, sx, sy, sz, sxx, szz, sxz, sxy, szy);
  };
}

/**
 * The a·b statistic for a set of complete cases, for use with `bootstrap`/`jackknife`
 * (exported so that fixed index sets, e.g. from R, can be evaluated in tests).
 */
export function mediationIndirectStatistic(data: MediationData): (indices: IndexArray) => number {
  return indirectStatistic(centre(data));
}


/** Jackknife (delete-one) values of a·b in O(n) (the shipped jackknife, in participant order of prepareMediationData). */
export function mediationJackknife(data: MediationData): Float64Array {
  return jackknifeIndirect(centre(data));
}
