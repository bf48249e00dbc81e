/** Where an invocation's register block sits in the output (see `TileConfig`). */
export interface BlockLayout {
  threadsX: number;
  threadsY: number;
  rowVecs: number;
  colVecs: number;
  /** True when `out0` is declared as vec4s (N a multiple of 4). */
  vecOut: boolean;
}

/**
 * WGSL storing an invocation's accumulators `acc{r}_{j}` (row `r` of its block, column vec4 `j`)
 * through `epilogue()`. Expects `m0`, `n0`, `tx`, `ty`, `t` and `outBase` in scope.
 *
 * The stores run as a loop over the block, each vec4 picked with selects: unrolled, the stores
 * and the epilogue would be repeated once per output (256 times for a 16x16 block), which takes
 * llvmpipe seconds to compile; an array indexed by the loop counter would leave the registers on
 * GPUs and become a long branch ladder on llvmpipe. The selects cost little beside the K loop.
 *
 * @example
 * tileStoreWgsl({ threadsX: 16, threadsY: 16, rowVecs: 1, colVecs: 1, vecOut: true });
 */
export function tileStoreWgsl(l: BlockLayout): string {
  const rows = 4 * l.rowVecs, cols = l.colVecs;
  const picks = Array.from({ length: rows * cols }, (_, q) => `v = select(v, acc${Math.floor(q / cols)}_${q % cols}, q == ${q}u);`);
  const store = l.vecOut
    ? 'if (gj < u.N) { out0[(outBase + gi * u.N + gj) / 4u] = v; }'
    : 'for (var c = 0u; c < 4u; c++) { if (gj + c < u.N) { out0[outBase + gi * u.N + gj + c] = v[c]; } }';
  return `for (var q = 0u; q < ${rows * cols}u; q++) {
    let r = q / ${cols}u;
    let gi = m0 + ((r / 4u) * ${l.threadsY}u + ty) * 4u + r % 4u;
    let gj = n0 + ((q % ${cols}u) * ${l.threadsX}u + tx) * 4u;
    if (gi < u.M) {
      var v = acc0_0;
      ${picks.join('\n      ')}
      for (var c = 0u; c < 4u; c++) { v[c] = epilogue(v[c], t, gi, gj + c); }
      ${store}
    }
  }`;
}
