/**
 * A matrix operand addressed through (offset, row stride, column stride), so transposed views
 * and sub-matrices need no copy: element `(i, j)` is `data[offset + i * rowStride + j * colStride]`.
 */
export interface StridedMatrix {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}
