import fc from 'fast-check';

/**
 * Random corruptions of a saved model or weights save (its JSON text and its weights bytes), for
 * fuzzing the loader with fast-check.
 */

/** A saved pair: the JSON file's text and the weights file's bytes. */
export interface SavedPair {
  json: string;
  bin: Uint8Array;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside a JSON value (objects and lists included). */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function get(value: Json, path: readonly (string | number)[]): Json {
  let v: Json = value;
  for (const k of path) v = (v as Record<string | number, Json>)[k]!;
  return v;
}

/** Numbers a hostile manifest might claim. */
const evilNumbers: number[] = [-1, 0, 1.5, -0.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 60, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 3, 7];

/** Values a hostile manifest might put anywhere. */
const evilValue = fc.oneof(
  fc.constantFrom<Json>(null, true, false, '', 'float16', 'uint8', 'bool', 'string', 'complex64', 'int32', 'float32', 'optimizer', '../x.bin', '/etc/passwd', [], {}, [-1], [2 ** 40, 2 ** 40], [0], ['a']),
  fc.constantFrom(...evilNumbers),
  fc.integer({ min: -5, max: 100 }),
  fc.string({ maxLength: 6 }),
);

/** One corruption of a saved pair. */
export type Corruption =
  | { kind: 'truncate-bin'; at: number }
  | { kind: 'extend-bin'; extra: number[] }
  | { kind: 'flip-bin'; at: number; value: number }
  | { kind: 'flip-json'; at: number; value: number }
  | { kind: 'truncate-json'; at: number }
  | { kind: 'raw-number'; which: number; text: string }
  | { kind: 'replace'; which: number; value: Json }
  | { kind: 'drop-key'; which: number }
  | { kind: 'duplicate-item'; which: number };

/**
 * A position as a fraction in [0, 1), scaled to the target at apply time. Uniform: fast-check's
 * doubles spread over their bit patterns (mostly tiny numbers) and its integers favour the bounds,
 * so every corruption would hit the file's first key.
 */
const position = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);

/** Arbitrary corruptions. */
export const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ kind: fc.constant('truncate-bin' as const), at: position }),
  fc.record({ kind: fc.constant('extend-bin' as const), extra: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 9 }) }),
  fc.record({ kind: fc.constant('flip-bin' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('flip-json' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate-json' as const), at: position }),
  fc.record({ kind: fc.constant('raw-number' as const), which: position, text: fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '1e-999', '0x10', '--1') }),
  fc.record({ kind: fc.constant('replace' as const), which: position, value: evilValue }),
  fc.record({ kind: fc.constant('drop-key' as const), which: position }),
  fc.record({ kind: fc.constant('duplicate-item' as const), which: position }),
);

/**
 * Applies corruptions in turn to a copy of `pair`.
 *
 * @example
 * const bad = corrupt(original, [{ kind: 'truncate-bin', at: 0.5 }]);
 */
export function corrupt(pair: SavedPair, corruptions: readonly Corruption[]): SavedPair {
  let json = pair.json;
  let bin = pair.bin.slice();
  for (const c of corruptions) {
    switch (c.kind) {
      case 'truncate-bin':
        bin = bin.slice(0, Math.floor(c.at * bin.length));
        break;
      case 'extend-bin':
        bin = new Uint8Array([...bin, ...c.extra]);
        break;
      case 'flip-bin':
        if (bin.length > 0) bin[Math.floor(c.at * bin.length)] = c.value;
        break;
      case 'flip-json': {
        const bytes = new TextEncoder().encode(json);
        bytes[Math.floor(c.at * bytes.length)] = c.value;
        json = new TextDecoder().decode(bytes);
        break;
      }
      case 'truncate-json':
        json = json.slice(0, Math.floor(c.at * json.length));
        break;
      case 'raw-number': {
        const numbers = [...json.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
        const m = numbers[Math.floor(c.which * numbers.length)];
        if (m) json = json.slice(0, m.index) + c.text + json.slice(m.index! + m[0].length);
        break;
      }
      default: {
        let value: Json;
        try {
          value = JSON.parse(json) as Json;
        } catch {
          break;
        }
        const all = paths(value).filter((p) => p.length > 0);
        const path = all[Math.floor(c.which * all.length)];
        if (!path) break;
        const parent = get(value, path.slice(0, -1)) as Record<string | number, Json> | Json[];
        const key = path[path.length - 1]!;
        if (c.kind === 'replace') (parent as Record<string | number, Json>)[key] = c.value;
        else if (c.kind === 'drop-key') {
          if (Array.isArray(parent)) parent.splice(key as number, 1);
          else delete (parent as Record<string, Json>)[key];
        } else if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]!));
        json = JSON.stringify(value);
      }
    }
  }
  return { json, bin };
}

/** One to three corruptions. */
export const corruptions = fc.array(corruption, { minLength: 1, maxLength: 3 });

/** The fast-check seed: fixed so the suite repeats, `STRATA_FUZZ_SEED` to explore others. */
export const fuzzSeed = process.env.STRATA_FUZZ_SEED ? Number(process.env.STRATA_FUZZ_SEED) : 20240605;
