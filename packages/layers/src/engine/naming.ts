const counts = new Map<string, number>();

/**
 * Converts a class name to Keras's snake_case prefix: `Conv2D` → `conv2d`, `BatchNormalization` →
 * `batch_normalization`, `LSTM` → `lstm`.
 *
 * @example
 * snakeCase('MultiHeadAttention'); // 'multi_head_attention'
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/(\d)_d(?=_|$)/g, '$1d');
}

/**
 * A unique default name per class, as Keras gives them: `dense`, `dense_1`, `dense_2`, ...
 *
 * @example
 * uniqueLayerName('Dense'); // 'dense', then 'dense_1'
 */
export function uniqueLayerName(className: string): string {
  const prefix = snakeCase(className);
  const n = counts.get(prefix) ?? 0;
  counts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/**
 * Restarts default naming (Keras's `clear_session`), so scripts and tests get predictable names.
 *
 * @example
 * resetLayerNames();
 */
export function resetLayerNames(): void {
  counts.clear();
}
