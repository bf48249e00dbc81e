// Int64 bounds for ONNX Slice: with an axis of unknown size, "to the end" is an end of INT64_MAX
// (stepping forwards) or INT64_MIN (stepping backwards).

/** The largest int64. */
export const INT64_MAX = (1n << 63n) - 1n;

/** The smallest int64. */
export const INT64_MIN = -(1n << 63n);
