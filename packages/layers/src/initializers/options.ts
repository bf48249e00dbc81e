import { StrataError } from '@strata/core';

/**
 * Option checking shared by the serializable families (initializers, regularizers, constraints).
 * Configs arrive from user code and from saved Keras JSON alike, so every check names the owner,
 * the option, what it must be and what was received.
 */

/** Option keys match ignoring case and underscores, so Keras JSON's `max_value` reads as `maxValue`. */
function normalizeKey(key: string): string {
  return key.replace(/_/g, '').toLowerCase();
}

/** Short description of a received value for messages: `string "2"`, `null`, `number NaN`, `array [1, 2]`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `array [${value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}]`;
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return `an object with keys [${Object.keys(value as object).join(', ')}]`;
  return `${typeof value} ${String(value)}`;
}

/** Throws the family's option error: `Owner: option 'name' must be ...; received ....` */
export function optionError(owner: string, name: string, expected: string, value: unknown): StrataError {
  return new StrataError(`${owner}: option '${name}' must be ${expected}; received ${describeValue(value)}.`);
}

/**
 * Reads `config` against the camelCase option names `known`, accepting Keras snake_case spellings,
 * and rejects anything else so that a misspelt option fails loudly instead of being ignored.
 *
 * @example
 * readOptions('MaxNorm', { max_value: 3 }, ['maxValue', 'axis']); // { maxValue: 3 }
 */
export function readOptions<K extends string>(owner: string, config: unknown, known: readonly K[]): Partial<Record<K, unknown>> {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new StrataError(`${owner}: expected an options object${known.length ? ` with keys among ${known.join(', ')}` : ''}; received ${describeValue(config)}.`);
  }
  const out: Partial<Record<K, unknown>> = {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const match = known.find((k) => normalizeKey(k) === normalizeKey(key));
    if (match === undefined) {
      const fix = known.length ? `Known options: ${known.join(', ')}` : `${owner} takes no options`;
      throw new StrataError(`${owner}: unknown option '${key}' (received ${describeValue(value)}). ${fix}; remove it or fix its spelling.`);
    }
    out[match] = value;
  }
  return out;
}

/** Constraint a numeric option must meet besides being finite. */
export type NumberRule = 'any' | 'nonNegative' | 'positive';

/**
 * A finite number option, `fallback` when absent (`undefined` or `null`, as Keras writes `None`).
 *
 * @example
 * numberOption('L1', 'l1', config.l1, 0.01, 'nonNegative');
 */
export function numberOption(owner: string, name: string, value: unknown, fallback: number, rule: NumberRule = 'any'): number {
  if (value === undefined || value === null) return fallback;
  const wanted = rule === 'positive' ? 'a positive finite number' : rule === 'nonNegative' ? 'a non-negative finite number' : 'a finite number';
  if (typeof value !== 'number' || !Number.isFinite(value)) throw optionError(owner, name, wanted, value);
  if ((rule === 'positive' && !(value > 0)) || (rule === 'nonNegative' && value < 0)) throw optionError(owner, name, wanted, value);
  return value;
}

/**
 * A random seed: absent, or a non-negative integer (what core's random ops accept).
 *
 * @example
 * seedOption('RandomNormal', config.seed); // undefined or e.g. 42
 */
export function seedOption(owner: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw optionError(owner, 'seed', 'a non-negative integer (or omitted for the global seed stream)', value);
  }
  return value;
}

/**
 * One of a set of strings, each allowed value possibly spelt several ways (`fanIn` or Keras's `fan_in`);
 * returns the canonical spelling.
 *
 * @example
 * choiceOption('VarianceScaling', 'mode', 'fan_in', { fanIn: ['fan_in'], fanOut: ['fan_out'] }, 'fanIn'); // 'fanIn'
 */
export function choiceOption<C extends string>(owner: string, name: string, value: unknown, choices: Record<C, readonly string[]>, fallback: C): C {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') {
    for (const [canonical, spellings] of Object.entries(choices) as [C, readonly string[]][]) {
      if (value === canonical || spellings.includes(value)) return canonical;
    }
  }
  const listed = (Object.entries(choices) as [C, readonly string[]][])
    .map(([c, s]) => [c, ...s].map((v) => `'${v}'`).join(' or '))
    .join(', ');
  throw optionError(owner, name, `one of ${listed}`, value);
}

/**
 * An axis option: an integer or a non-empty list of distinct integers (checked against the rank later).
 *
 * @example
 * axisOption('MaxNorm', config.axis, 0); // 0, or e.g. [0, 1]
 */
export function axisOption(owner: string, value: unknown, fallback: number): number | number[] {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (Array.isArray(value) && value.length > 0 && value.every((a) => typeof a === 'number' && Number.isInteger(a)) && new Set(value).size === value.length) {
    return [...(value as number[])];
  }
  throw optionError(owner, 'axis', 'an integer or a non-empty list of distinct integers', value);
}
