import type { ConvGeometry } from '@strata/engine-api';

/**
 * True when the patch matrix is the input itself (1x1 kernel, unit stride, no padding), so the
 * im2col copy can be skipped.
 *
 * @example
 * if (im2colIsIdentity(g)) gemmDirectlyOn(x);
 */
export function im2colIsIdentity(g: ConvGeometry): boolean {
  return g.kH === 1 && g.kW === 1 && g.strideH === 1 && g.strideW === 1 &&
    g.padTop === 0 && g.padLeft === 0 && g.outH === g.inH && g.outW === g.inW;
}

/**
 * How many output pixels (patch-matrix rows) to process per chunk so the patch scratch stays
 * cache-sized while each chunk still gives the GEMM enough rows to amortise packing.
 *
 * @example
 * const rows = im2colChunkRows(g); // e.g. 455 for a 3x3x64 patch
 */
export function im2colChunkRows(g: ConvGeometry): number {
  const patch = g.kH * g.kW * g.inC;
  return Math.max(64, Math.floor((1 << 18) / Math.max(1, patch)));
}

let scratch = new Float32Array(0);

/**
 * A module-level scratch of at least `size` floats, grown on demand and reused across calls so
 * steady-state convolutions allocate nothing. Contents are unspecified.
 *
 * @example
 * const cols = im2colScratch(rows * patch);
 */
export function im2colScratch(size: number): Float32Array {
  if (scratch.length < size) scratch = new Float32Array(Math.max(size, scratch.length * 2));
  return scratch;
}

/**
 * Writes patch-matrix rows `[rowStart, rowStart + rowCount)` (row = output pixel `(n, oy, ox)`,
 * column = `(ky, kx, c)`) into `cols`; taps that fall in the padding read as zero.
 *
 * @example
 * im2col(xValues, g, 0, 16, cols);
 */
export function im2col(
  x: Float32Array, g: ConvGeometry, rowStart: number, rowCount: number, cols: Float32Array,
): void {
  const { inH, inW, inC, kH, kW, outH, outW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const ohw = outH * outW;
  let dst = 0;
  for (let r = rowStart; r < rowStart + rowCount; r++) {
    const n = Math.floor(r / ohw), rem = r - n * ohw;
    const oy = Math.floor(rem / outW), ox = rem - oy * outW;
    const iy0 = oy * strideH - padTop, ix0 = ox * strideW - padLeft;
    const image = n * inH;
    for (let ky = 0; ky < kH; ky++) {
      const iy = iy0 + ky * dilationH;
      if (iy < 0 || iy >= inH) {
        cols.fill(0, dst, dst + kW * inC);
        dst += kW * inC;
        continue;
      }
      const rowBase = (image + iy) * inW;
      for (let kx = 0; kx < kW; kx++) {
        const ix = ix0 + kx * dilationW;
        if (ix < 0 || ix >= inW) {
          cols.fill(0, dst, dst + inC);
        } else {
          const src = (rowBase + ix) * inC;
          for (let c = 0; c < inC; c++) cols[dst + c] = x[src + c]!;
        }
        dst += inC;
      }
    }
  }
}

/**
 * The adjoint of {@link im2col}: adds each patch-matrix entry of rows `[rowStart, rowStart +
 * rowCount)` back into the input-shaped `dx`; taps in the padding are dropped.
 *
 * @example
 * col2im(dcols, g, 0, 16, dx);
 */
export function col2im(
  cols: Float32Array, g: ConvGeometry, rowStart: number, rowCount: number, dx: Float32Array,
): void {
  const { inH, inW, inC, kH, kW, outH, outW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const ohw = outH * outW;
  let src = 0;
  for (let r = rowStart; r < rowStart + rowCount; r++) {
    const n = Math.floor(r / ohw), rem = r - n * ohw;
    const oy = Math.floor(rem / outW), ox = rem - oy * outW;
    const iy0 = oy * strideH - padTop, ix0 = ox * strideW - padLeft;
    const image = n * inH;
    for (let ky = 0; ky < kH; ky++) {
      const iy = iy0 + ky * dilationH;
      if (iy < 0 || iy >= inH) {
        src += kW * inC;
        continue;
      }
      const rowBase = (image + iy) * inW;
      for (let kx = 0; kx < kW; kx++) {
        const ix = ix0 + kx * dilationW;
        if (ix >= 0 && ix < inW) {
          const dst = (rowBase + ix) * inC;
          for (let c = 0; c < inC; c++) dx[dst + c] += cols[src + c]!;
        }
        src += inC;
      }
    }
  }
}
