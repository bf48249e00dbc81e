import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import * as ort from 'onnxruntime-node';
import { memory, tensor, type Tensor } from '@strata/core';
import { expectClose } from '@strata/conformance';
import type { LayersModel } from '../../src/engine/model.js';
import { buildOnnxGraph } from '../../src/onnx/convert-model.js';
import { exportOnnx, readWeights } from '../../src/onnx/export-onnx.js';
import type { OnnxGraph } from '../../src/onnx/onnx-proto.js';
import { rng } from '../losses-helpers.js';

// What the ONNX tests share: deterministic weights and inputs, a temp directory, and the check
// that onnxruntime runs the exported file to Strata's numbers at batch sizes 1 and 3.

/** The seeded generator the loss tests use (mulberry32), so tests never depend on Math.random. */
export { rng };

/**
 * Sets every weight of `model` to values in [-0.5, 0.5) (moving variances in [0.5, 1.5)), so
 * biases, statistics and gates all matter in the comparison.
 */
export function randomizeWeights(model: LayersModel, seed = 1): void {
  const next = rng(seed);
  for (const w of model.weightEntries) {
    const variance = w.name.endsWith('moving_variance');
    const values = Array.from({ length: w.variable.size }, () => (variance ? 0.5 + next() : next() - 0.5));
    const t = tensor(values, [...w.variable.shape]);
    w.variable.assign(t);
    t.dispose();
  }
}

/** How one model input is filled: uniform floats in [-scale, scale), or integer ids in [0, ids). */
export interface InputFill {
  ids?: number;
  scale?: number;
}

/** Values for a model input of `shape` (batch dim first), from `seed`. */
function inputValues(shape: readonly number[], fill: InputFill, seed: number): number[] {
  const next = rng(seed);
  const size = shape.reduce((n, d) => n * d, 1);
  return Array.from({ length: size }, () => (fill.ids !== undefined ? Math.floor(next() * fill.ids) : (next() * 2 - 1) * (fill.scale ?? 1)));
}

/** A temp directory for one test file, removed by the returned function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'strata-onnx-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let fileCount = 0;

/** Tolerances of the comparisons (float32 on both sides, different summation orders). */
export const TOLERANCE = { atol: 1e-5, rtol: 1e-5 };

/** Options of {@link expectOnnxMatches}. */
export interface MatchOptions {
  /** How each input is filled (default floats in [-1, 1)). */
  fills?: InputFill[];
  /** Sample shapes (without batch) for inputs whose model shape has unknown dims. */
  sampleShapes?: (readonly number[])[];
  batchSizes?: readonly number[];
  tolerance?: { atol?: number; rtol?: number };
  /** Skips the weight randomization (weights set by the test). */
  keepWeights?: boolean;
}

/**
 * Exports `model` to a file in `dir`, runs it with onnxruntime at each batch size (one session, so
 * the symbolic batch dim is exercised), and compares every output with Strata's `predict`.
 * Returns the exported graph (from the same converter) for structural checks.
 */
export async function expectOnnxMatches(model: LayersModel, dir: string, options: MatchOptions = {}): Promise<OnnxGraph> {
  if (!options.keepWeights) randomizeWeights(model);
  const file = join(dir, `model-${fileCount++}.onnx`);
  await exportOnnx(model, file);
  const session = await ort.InferenceSession.create(file);
  expect(session.inputNames).to.deep.equal(model.inputNames);
  expect(session.outputNames.length).to.equal(model.outputs.length);
  for (const batch of options.batchSizes ?? [1, 3]) {
    const feeds: Record<string, ort.Tensor> = {};
    const inputs: Tensor[] = model.inputs.map((t, i) => {
      const sample = options.sampleShapes?.[i] ?? t.shape.slice(1).map((d) => d!);
      const shape = [batch, ...sample];
      const fill = options.fills?.[i] ?? {};
      const values = inputValues(shape, fill, 100 * batch + i);
      const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
      feeds[session.inputNames[i]!] = new ort.Tensor(dtype, dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values), shape);
      return tensor(values, shape, dtype);
    });
    const predicted = await model.predict(inputs.length === 1 ? inputs[0]! : inputs);
    const expected = Array.isArray(predicted) ? predicted : [predicted];
    const results = await session.run(feeds);
    for (let k = 0; k < expected.length; k++) {
      const got = results[session.outputNames[k]!]!;
      expect([...got.dims], `output ${k} shape at batch ${batch}`).to.deep.equal(expected[k]!.shape);
      expectClose(got.data as Float32Array, await expected[k]!.data(), { ...TOLERANCE, ...options.tolerance }, `${model.name} output ${k} (batch ${batch})`);
    }
    [...inputs, ...expected].forEach((t) => t.dispose());
  }
  await session.release();
  return buildOnnxGraph(model, await readWeights(model), model.name);
}

/** How many nodes of `opType` a graph has. */
export function countOps(graph: OnnxGraph, opType: string): number {
  return graph.nodes.filter((n) => n.opType === opType).length;
}

/** Runs `fn` and checks it leaves no tensor behind (exports read weights but must not leak). */
export async function withoutLeaks<T>(fn: () => Promise<T>): Promise<T> {
  const before = memory().numTensors;
  const out = await fn();
  expect(memory().numTensors, 'live tensors after the export').to.equal(before);
  return out;
}

