import { IS_NAN_WGSL } from './reduce-wgsl.js';

/** Entries a workgroup sorts in workgroup memory: values and indices, 8 bytes each, 16 KiB. */
export const SORT_BLOCK = 2048;

/**
 * WGSL `above(va, ia, vb, ib)`: entry a ranks strictly before entry b in topK order. Larger
 * values first, NaN above every number, ties by lower index; entries with a negative index are
 * padding and rank below everything. A total order (indices are distinct), so any sorting
 * network gives the same result as the CPU engine's stable selection.
 *
 * @example
 * const source = `${rankWgsl('f32')} ...`; // then `above(v[i], idx[i], v[j], idx[j])`
 */
export function rankWgsl(t: 'f32' | 'i32'): string {
  return /* wgsl */ `${IS_NAN_WGSL}
fn above(va: ${t}, ia: i32, vb: ${t}, ib: i32) -> bool {
  if (ia < 0) { return false; }
  if (ib < 0) { return true; }
  ${t === 'f32' ? 'let na = isNan(va); let nb = isNan(vb); if (na != nb) { return na; } if (!na) {' : '{'}
    if (va > vb) { return true; }
    if (va < vb) { return false; }
  }
  return ia < ib;
}`;
}

/**
 * WGSL statements running bitonic steps over `sv`/`si` (arrays of `block` entries in workgroup
 * memory) with `wg` threads (`lid`). `sort`: every stage up to `block` (a full sort); `merge`: the
 * strides below `block` of the global stage `u.size`. Pairs sort descending where
 * `(gBase + i) & size == 0`, so a block's place in a longer row sets its direction, and the last
 * stage leaves everything descending. Each step reads and writes only its own pair before the
 * barrier.
 *
 * @example
 * bitonicStepsWgsl(2048, 256, 'sort'); // needs `lid`, `gBase`, `sv`, `si` and `above` in scope
 */
export function bitonicStepsWgsl(block: number, wg: number, mode: 'sort' | 'merge'): string {
  const step = /* wgsl */ `
      for (var t = lid; t < ${block / 2}u; t += ${wg}u) {
        let i = 2u * stride * (t / stride) + t % stride;
        let j = i + stride;
        let va = sv[i];
        let ia = si[i];
        let vb = sv[j];
        let ib = si[j];
        var swap = false;
        if (((gBase + i) & size) == 0u) { swap = above(vb, ib, va, ia); } else { swap = above(va, ia, vb, ib); }
        if (swap) {
          sv[i] = vb;
          si[i] = ib;
          sv[j] = va;
          si[j] = ia;
        }
      }
      workgroupBarrier();`;
  if (mode === 'sort') {
    return /* wgsl */ `
  for (var size = 2u; size <= ${block}u; size <<= 1u) {
    for (var stride = size >> 1u; stride > 0u; stride >>= 1u) {${step}
    }
  }`;
  }
  return /* wgsl */ `
  {
    let size = u.size;
    for (var stride = ${block / 2}u; stride > 0u; stride >>= 1u) {${step}
    }
  }`;
}
