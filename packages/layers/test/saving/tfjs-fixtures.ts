import { randomValues } from '@strata/conformance';
import { tf, tfl } from './tfjs-setup.js';
import { saveTfjsModel, type SaveTfjsOptions, type TfjsModelJSON } from './tfjs-io.js';

/** One input of a fixture model, without the batch dimension. */
export interface FixtureInput {
  shape: number[];
  /** Integer ids in `[0, ints)` (an Embedding's input) instead of floats in [-1, 1). */
  ints?: number;
  /**
   * Zero this many trailing time steps of the last sample, so that `Masking` or an Embedding with
   * `maskZero` masks them (a recurrent layer then carries its state over them).
   */
  zeroTail?: number;
}

/** A model built in TF.js whose saved files Strata must load and run as TF.js does. */
export interface TfjsFixture {
  name: string;
  /** Builds the model in TF.js (layer factories with TF.js's own defaults). */
  build(): tfl.LayersModel;
  inputs: FixtureInput[];
  /** A tolerance wider than the default, with the reason. */
  tolerance?: { atol: number; rtol: number; why: string };
  /**
   * Strata does not reproduce TF.js for this config (on purpose, or a TF.js bug); the reason. The test asserts
   * that loading fails or the outputs differ (an expected failure: one that starts to agree is reported).
   */
  knownDifference?: string;
  /** Options for the files (the optimizer state, TF.js's browser weights file name). */
  save?: SaveTfjsOptions;
}

/** One array of numbers with its shape and dtype: an input or output of a fixture. */
export interface FixtureArray {
  values: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** A fixture after generation: its files on disk and TF.js's predictions. */
export interface GeneratedFixture {
  dir: string;
  json: TfjsModelJSON;
  inputs: FixtureArray[];
  /** TF.js's `predict` on `inputs`, one entry per model output. */
  expected: FixtureArray[];
}

/** Samples per fixture batch: more than one, so that batch-mixing bugs show. */
export const FIXTURE_BATCH = 2;

/**
 * Gives every weight of a TF.js model seeded values in [-1, 1) — moving variances in [0.5, 1.5),
 * as they must be positive — so that nothing depends on either library's initializers.
 *
 * @example
 * seedTfjsWeights(model, 7);
 */
export function seedTfjsWeights(model: tfl.LayersModel, seed: number): void {
  const values = model.weights.map((w, i) => {
    const positive = /moving_variance$/.test(w.originalName);
    const shape = w.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(randomValues(size, seed * 1009 + i, positive ? 0.5 : -1, positive ? 1.5 : 1), shape);
  });
  model.setWeights(values);
  tf.dispose(values);
}

/**
 * Seeded input arrays for a fixture (batch {@link FIXTURE_BATCH}).
 *
 * @example
 * const [x] = fixtureInputs([{ shape: [4] }], 1);
 */
export function fixtureInputs(inputs: readonly FixtureInput[], seed: number): FixtureArray[] {
  return inputs.map((spec, k) => {
    const shape = [FIXTURE_BATCH, ...spec.shape];
    const size = shape.reduce((a, b) => a * b, 1);
    const raw = randomValues(size, seed * 31 + k);
    // Ids start at 1, so that only the zeroed tail is masked by an Embedding with maskZero.
    const values = spec.ints === undefined ? raw : Int32Array.from(raw, (v) => 1 + Math.min(spec.ints! - 2, Math.floor(((v + 1) / 2) * (spec.ints! - 1))));
    if (spec.zeroTail !== undefined) {
      const perSample = size / FIXTURE_BATCH;
      const perStep = perSample / spec.shape[0]!;
      values.fill(0, perSample * (FIXTURE_BATCH - 1) + (spec.shape[0]! - spec.zeroTail) * perStep, size);
    }
    return { values, shape, dtype: spec.ints === undefined ? 'float32' : 'int32' };
  });
}

/**
 * Runs one fixture in TF.js: builds the model, seeds its weights, saves it into `dir` as TF.js
 * saves it, and records TF.js's `predict` on seeded inputs.
 *
 * @example
 * const g = await generateFixture(fixture, '/tmp/x', 3);
 * const m = await loadModel(g.dir);
 */
export async function generateFixture(fixture: TfjsFixture, dir: string, seed: number): Promise<GeneratedFixture> {
  const model = fixture.build();
  try {
    seedTfjsWeights(model, seed);
    const json = await saveTfjsModel(model, dir, fixture.save);
    const inputs = fixtureInputs(fixture.inputs, seed);
    const expected = await tfjsPredict(model, inputs);
    return { dir, json, inputs, expected };
  } finally {
    model.dispose();
  }
}

/**
 * TF.js's `predict` on host arrays, read back as host arrays (one per output).
 *
 * @example
 * const [y] = await tfjsPredict(model, fixtureInputs([{ shape: [4] }], 1));
 */
export async function tfjsPredict(model: tfl.LayersModel, inputs: readonly FixtureArray[]): Promise<FixtureArray[]> {
  const xs = inputs.map((x) => tf.tensor(x.values, x.shape, x.dtype));
  try {
    const ys = model.predict(xs.length === 1 ? xs[0]! : xs);
    const list = Array.isArray(ys) ? ys : [ys];
    const out: FixtureArray[] = [];
    for (const y of list) out.push({ values: (await y.data()) as Float32Array, shape: [...y.shape], dtype: 'float32' });
    tf.dispose(list);
    return out;
  } finally {
    tf.dispose(xs);
  }
}

/** The largest `|a - e|` and the largest `|a - e| / max(|e|, 1e-6)` over two arrays. */
export function maxErrors(actual: ArrayLike<number>, expected: ArrayLike<number>): { abs: number; rel: number; at: number } {
  let abs = 0;
  let rel = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(Number(actual[i]) - Number(expected[i]));
    const r = d / Math.max(Math.abs(Number(expected[i])), 1e-6);
    if (!(d <= abs)) {
      abs = d;
      at = i;
    }
    if (r > rel) rel = r;
  }
  return { abs, rel, at };
}
