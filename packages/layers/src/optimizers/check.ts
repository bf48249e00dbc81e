import { StrataError } from '@strata/core';

/** The range a numeric option must lie in; bounds are inclusive unless marked open. */
export interface NumberRule {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  integer?: boolean;
}

/**
 * Formats a received value for an error message: numbers as written, strings quoted, objects by
 * their keys, so that the message shows what the caller actually passed.
 *
 * @example
 * describeValue(-0.1); // '-0.1'
 * describeValue('fast'); // 'string "fast"'
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `an object with keys [${Object.keys(value as object).join(', ')}]`;
  return `${typeof value} ${String(value)}`;
}

function ruleText(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a finite number';
  const lo = rule.min === undefined ? '' : `${rule.minOpen ? '>' : '>='} ${rule.min}`;
  const hi = rule.max === undefined ? '' : `${rule.maxOpen ? '<' : '<='} ${rule.max}`;
  if (rule.min !== undefined && rule.max !== undefined) {
    return `${kind} in ${rule.minOpen ? '(' : '['}${rule.min}, ${rule.max}${rule.maxOpen ? ')' : ']'}`;
  }
  return [kind, lo, hi].filter((s) => s !== '').join(' ');
}

/**
 * Validates one numeric option and returns it; the error names the owner, the option, the rule,
 * the received value and an example of a valid value.
 *
 * @example
 * const beta1 = checkNumber('Adam', 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1, maxOpen: true }, 0.9);
 */
export function checkNumber(owner: string, key: string, value: unknown, rule: NumberRule, example: number): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || (rule.minOpen ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || (rule.maxOpen ? value < rule.max : value <= rule.max));
  if (!ok) {
    throw new StrataError(`${owner}: option '${key}' must be ${ruleText(rule)}; received ${describeValue(value)}. Pass a value such as ${key}: ${example}.`);
  }
  return value as number;
}

/**
 * Validates an optional numeric option: `undefined` and `null` mean "not set" and give `null`.
 *
 * @example
 * const clipnorm = checkOptionalNumber('SGD', 'clipnorm', options.clipnorm, { min: 0, minOpen: true }, 1);
 */
export function checkOptionalNumber(owner: string, key: string, value: unknown, rule: NumberRule, example: number): number | null {
  if (value === undefined || value === null) return null;
  return checkNumber(owner, key, value, rule, example);
}

/**
 * Validates a boolean option.
 *
 * @example
 * const nesterov = checkBoolean('SGD', 'nesterov', options.nesterov ?? false);
 */
export function checkBoolean(owner: string, key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new StrataError(`${owner}: option '${key}' must be true or false; received ${describeValue(value)}. Pass ${key}: true or ${key}: false.`);
  }
  return value;
}

/**
 * Validates a name option (a non-empty string).
 *
 * @example
 * const name = checkName('Adam', options.name ?? 'adam');
 */
export function checkName(owner: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new StrataError(`${owner}: option 'name' must be a non-empty string; received ${describeValue(value)}. Pass a name such as name: '${owner.toLowerCase()}'.`);
  }
  return value;
}

/** `beta_1` → `beta1`, `global_clipnorm` → `globalClipnorm`; camelCase keys pass through. */
function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Turns a saved config (Keras snake_case or Strata camelCase keys) into constructor options:
 * keys are camel-cased, Keras-only keys holding a harmless value are dropped (`ignorable` says
 * which values are harmless), and any other key is rejected with the list of known ones, so a
 * typo or an unsupported Keras feature never passes silently.
 *
 * @example
 * normalizeConfig('Adam', { learning_rate: 0.01, use_ema: false }, ['learningRate'], { useEma: (v) => v === false });
 * // { learningRate: 0.01 }
 */
export function normalizeConfig(
  owner: string,
  config: Record<string, unknown>,
  known: readonly string[],
  ignorable: Readonly<Record<string, (value: unknown) => boolean>> = {},
): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new StrataError(`${owner}: a config must be a plain object of options; received ${describeValue(config)}. Pass an object such as { className: '${owner}', config: {} }.`);
  }
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(config)) {
    const key = camelKey(rawKey);
    if (known.includes(key)) {
      out[key] = value;
      continue;
    }
    const harmless = ignorable[key];
    if (harmless) {
      if (harmless(value)) continue;
      throw new StrataError(`${owner}: config key '${rawKey}' is a Keras feature Strata does not support; received ${describeValue(value)}. Remove '${rawKey}' from the config (or set it to its Keras default).`);
    }
    throw new StrataError(`${owner}: unknown config key '${rawKey}' (received ${describeValue(value)}). Known keys: ${known.join(', ')}.`);
  }
  return out;
}
