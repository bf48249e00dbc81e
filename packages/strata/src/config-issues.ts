/**
 * Turns zod issues into `ConfigError`s whose message names the source, the key, the received value,
 * the accepted values and the fix.
 */
import type { z } from 'zod';
import { DEFAULT_DESCRIPTIONS } from './config-schema.js';
import { ConfigError, type ConfigLocation } from './errors.js';

/**
 * Formats a received value the way it would be written in a config: strings quoted, objects as
 * short JSON.
 *
 * @example
 * formatValue('gpu'); // '"gpu"'
 * formatValue(-1);    // '-1'
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return Object.prototype.toString.call(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** No node:path here: this module also runs in browsers, where ready() validates its options. */
const isPackageJson = (file: string): boolean => /(^|[\\/])package\.json$/.test(file);

interface Finding {
  key: string;
  received: unknown;
  sentence: string;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

function fixFor(key: string, location: ConfigLocation): string {
  if (location.kind === 'env') return `Fix the value or unset ${location.variable}.`;
  if (location.kind === 'argument') return key === '' ? 'Pass an object such as { engine: "cpu" }.' : 'Fix the value or leave it out.';
  if (key === '') {
    return isPackageJson(location.file)
      ? 'Make it an object such as { "engine": "cpu" }, or remove the "strata" key.'
      : 'Make it an object such as { "engine": "cpu" }, or delete the file to use the defaults.';
  }
  const fallback = DEFAULT_DESCRIPTIONS[key];
  return fallback === undefined
    ? 'Fix the value or remove the key to use the defaults.'
    : `Fix the value or remove the key to use the default (${fallback}).`;
}

function findings(issues: readonly z.core.$ZodIssue[], input: unknown, location: ConfigLocation, rootName: string): Finding[] {
  const out: Finding[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const unknownKey of issue.keys) {
        const key = [...path, unknownKey].join('.');
        out.push({
          key,
          received: valueAt(input, [...issue.path, unknownKey]),
          sentence: `"${key}" is not a known key; ${issue.message}.`,
        });
      }
      continue;
    }
    const key = path.join('.');
    const received = valueAt(input, issue.path);
    const subject = location.kind === 'env' ? location.variable : key === '' ? rootName : `"${key}"`;
    out.push({
      key: location.kind === 'env' ? location.variable : key,
      received,
      sentence: `${subject} is ${formatValue(received)}; ${issue.message}. ${fixFor(key, location)}`,
    });
  }
  return out;
}

function header(location: ConfigLocation): string {
  switch (location.kind) {
    case 'file':
      // The "strata" key matters here: the rest of package.json is not Strata's to judge.
      return isPackageJson(location.file)
        ? `Invalid Strata config in ${location.file} ("strata" key)`
        : `Invalid Strata config in ${location.file}`;
    case 'argument':
      return 'Invalid ready() options';
    case 'env':
      return 'Invalid environment variable';
  }
}

/**
 * Builds the error for a failed zod parse. One problem reads as one sentence; several are listed
 * one per line, so a user fixes them all in one pass.
 *
 * @example
 * const parsed = strataConfigSchema.safeParse(raw);
 * if (!parsed.success) throw configIssuesError(parsed.error, raw, { kind: 'file', file });
 */
export function configIssuesError(error: z.ZodError, input: unknown, location: ConfigLocation): ConfigError {
  const rootName = location.kind === 'argument' ? 'the options object' : 'the config';
  const found = findings(error.issues, input, location, rootName);
  const first = found[0] ?? { key: '', received: input, sentence: `${error.message}.` };
  const body = found.length <= 1 ? ` ${first.sentence}` : `\n${found.map((f) => `  - ${f.sentence}`).join('\n')}`;
  return new ConfigError(`${header(location)}:${body}`, {
    ...(location.kind === 'file' ? { file: location.file } : {}),
    ...(first.key === '' ? {} : { key: first.key }),
    received: first.received,
    cause: error,
  });
}
