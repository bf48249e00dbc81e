import { StrataError } from '@strata/core';

/**
 * A number as Python's `'%.<p>e'` writes it: the exponent signed and at least two digits
 * (`1.2340e-05`), where JavaScript writes `1.2340e-5`.
 *
 * @example
 * pyExponential(0.0000123, 4); // '1.2300e-05'
 */
export function pyExponential(value: number, precision: number): string {
  if (!Number.isFinite(value)) return pyNonFinite(value);
  const [mantissa, exp] = value.toExponential(precision).split('e') as [string, string];
  const sign = exp.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
}

function pyNonFinite(value: number): string {
  return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
}

/**
 * A log value as Keras' progress bar writes it: 4 decimals, or scientific notation for values
 * at most 1e-3 in magnitude.
 *
 * @example
 * formatLogValue(0.41234); // '0.4123'
 * formatLogValue(0.0001);  // '1.0000e-04'
 */
export function formatLogValue(value: number): string {
  if (!Number.isFinite(value)) return pyNonFinite(value);
  return Math.abs(value) > 1e-3 ? value.toFixed(4) : pyExponential(value, 4);
}

/**
 * A number as Python's `str(float)` writes it (shortest round-trip digits; `1.0`, `1e-05`,
 * `1e+16`), so CSV logs read like the ones Keras writes.
 *
 * @example
 * pyFloat(1);       // '1.0'
 * pyFloat(0.00001); // '1e-05'
 */
export function pyFloat(value: number): string {
  if (!Number.isFinite(value)) return pyNonFinite(value);
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, e] = value.toExponential().split('e') as [string, string];
  const exp = Number(e);
  // Python switches to exponent notation below 1e-4 and from 1e16 on; JavaScript at other bounds.
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const text = String(value);
  return text.includes('.') ? text : `${text}.0`;
}

/**
 * A duration as Keras' progress bar writes an ETA: `3s`, `1:05`, `1:01:05`.
 *
 * @example
 * formatEta(65); // '1:05'
 */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (seconds > 3600) return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  if (seconds > 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}

/**
 * Time per step as Keras writes it: `2s/step`, `40ms/step` or `85us/step`.
 *
 * @example
 * formatStepTime(0.04); // '40ms/step'
 */
export function formatStepTime(seconds: number, unit = 'step'): string {
  if (seconds >= 1 || seconds === 0) return `${seconds.toFixed(0)}s/${unit}`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(0)}ms/${unit}`;
  return `${(seconds * 1e6).toFixed(0)}us/${unit}`;
}

/**
 * ` - key: value` for each log, in order, as Keras appends them to a progress line.
 *
 * @example
 * formatLogs({ loss: 0.5, accuracy: 0.75 }); // ' - loss: 0.5000 - accuracy: 0.7500'
 */
export function formatLogs(logs: Record<string, number>): string {
  return Object.entries(logs).map(([k, v]) => ` - ${k}: ${formatLogValue(v)}`).join('');
}

const FIELD = /\{([^{}:]*)(?::([^{}]*))?\}/g;
const SPEC = /^(0)?(\d+)?(?:\.(\d+))?([dfeEgG%s])?$/;

function formatField(owner: string, template: string, key: string, spec: string, value: number | string): string {
  const m = SPEC.exec(spec);
  if (!m) {
    throw new StrataError(`${owner}: format spec '{${key}:${spec}}' in '${template}' is not supported; use a Python spec of the form [0][width][.precision][d|f|e|g|%], e.g. {${key}:.2f}.`);
  }
  const [, zero, widthText, precText, type] = m;
  const width = widthText ? Number(widthText) : 0;
  const precision = precText !== undefined ? Number(precText) : undefined;
  let text: string;
  if (typeof value === 'string' || type === 's') {
    text = String(value);
  } else if (type === 'd') {
    if (!Number.isInteger(value)) {
      throw new StrataError(`${owner}: '{${key}:${spec}}' in '${template}' formats an integer, but ${key} is ${value}; use a float spec such as {${key}:.4f}.`);
    }
    text = String(Math.abs(value));
    if (value < 0) text = `-${text}`;
  } else if (type === 'f') {
    text = Number.isFinite(value) ? value.toFixed(precision ?? 6) : pyNonFinite(value);
  } else if (type === 'e' || type === 'E') {
    text = pyExponential(value, precision ?? 6);
    if (type === 'E') text = text.toUpperCase();
  } else if (type === '%') {
    text = `${Number.isFinite(value) ? (value * 100).toFixed(precision ?? 6) : pyNonFinite(value)}%`;
  } else if (type === 'g' || type === 'G') {
    text = Number.isFinite(value) ? String(Number(value.toPrecision(precision || 6))) : pyNonFinite(value);
  } else {
    text = precision !== undefined ? (Number.isFinite(value) ? String(Number(value.toPrecision(precision))) : pyNonFinite(value)) : typeof value === 'number' && Number.isInteger(value) ? String(value) : pyFloat(value);
  }
  if (text.length < width) {
    if (zero) {
      const negative = text.startsWith('-');
      const digits = negative ? text.slice(1) : text;
      text = (negative ? '-' : '') + digits.padStart(width - (negative ? 1 : 0), '0');
    } else {
      text = text.padStart(width, ' ');
    }
  }
  return text;
}

/**
 * Fills a path template the way Keras does with Python's `str.format`: `{epoch:02d}`,
 * `{val_loss:.2f}` and `{name}` are replaced from `values`; a missing key is an error listing
 * the keys there are.
 *
 * @example
 * formatTemplate('ModelCheckpoint', 'weights.{epoch:02d}-{val_loss:.2f}.json', { epoch: 3, val_loss: 0.4567 });
 * // 'weights.03-0.46.json'
 */
export function formatTemplate(owner: string, template: string, values: Record<string, number | string>): string {
  return template.replace(FIELD, (_all, key: string, spec: string | undefined) => {
    if (!(key in values)) {
      throw new StrataError(`${owner}: the path '${template}' uses {${key}}, which is not among the values available at this point (${Object.keys(values).join(', ')}). Use one of those names, or check the log names in history.history.`);
    }
    return formatField(owner, template, key, spec ?? '', values[key]!);
  });
}
