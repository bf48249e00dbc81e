import type { LayerShape } from './errors.js';
import { InputLayer } from './input-layer.js';
import type { Layer } from './layer.js';
import type { LayersModel } from './model.js';

/** Options of `model.summary()`. */
export interface SummaryOptions {
  /** Total width of the table (default 65 for Sequential, 98 for Functional, as Keras). */
  lineLength?: number;
  /** Where lines go (default `console.log`); pass `() => {}` to only get the returned string. */
  printFn?: (line: string) => void;
}

function shapeText(shapes: LayerShape[]): string {
  if (shapes.length === 0) return '?';
  const texts = shapes.map((s) => `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`);
  return texts.length === 1 ? texts[0]! : texts.join(' ');
}

/** Output shapes of a layer inside this model: those of its nodes in the model's graph. */
function outputShapeOf(model: LayersModel, layer: Layer): string {
  const nodes = model.nodes.filter((n) => n.layer === layer);
  const shapes = nodes.map((n) => shapeText(n.outputs.map((o) => o.shape)));
  if (shapes.length === 0) return '?';
  return shapes.every((s) => s === shapes[0]) ? shapes[0]! : 'multiple';
}

function fit(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, width - 2)} ` : text.padEnd(width);
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * The Keras summary table of a model: each layer with its type, output shape and parameter count
 * (and, for Functional models, the layers it is connected to), then the parameter totals.
 * Returns the text and prints it through `printFn`.
 *
 * @example
 * const text = summarize(m, { printFn: () => {} });
 */
export function summarize(model: LayersModel, options: SummaryOptions = {}): string {
  const sequential = model.className === 'Sequential';
  const lineLength = options.lineLength ?? (sequential ? 65 : 98);
  const fractions = sequential ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1];
  const stops = fractions.map((f) => Math.floor(lineLength * f));
  const widths = stops.map((s, i) => s - (stops[i - 1] ?? 0));
  const headers = sequential ? ['Layer (type)', 'Output shape', 'Param #'] : ['Layer (type)', 'Output shape', 'Param #', 'Connected to'];
  const row = (cells: string[]): string => cells.map((c, i) => fit(c, widths[i]!)).join('').trimEnd();
  const lines: string[] = [`Model: "${model.name}"`, '_'.repeat(lineLength), row(headers), '='.repeat(lineLength)];

  const layers = model.layers;
  layers.forEach((layer, i) => {
    const base = [`${layer.name} (${layer.className})`, outputShapeOf(model, layer), formatCount(layer.countParams())];
    if (sequential) {
      lines.push(row(base));
    } else {
      const sources = model.nodes
        .filter((n) => n.layer === layer && !(n.layer instanceof InputLayer))
        .flatMap((n) => n.inputs.map((t) => `${t.sourceLayer.name}[${t.nodeIndex}][${t.tensorIndex}]`));
      lines.push(row([...base, sources[0] ?? '']));
      for (const extra of sources.slice(1)) lines.push(row(['', '', '', extra]));
    }
    lines.push(i === layers.length - 1 ? '='.repeat(lineLength) : '_'.repeat(lineLength));
  });
  if (layers.length === 0) lines.push('='.repeat(lineLength));

  const trainable = model.trainableWeights.reduce((n, v) => n + v.size, 0);
  const nonTrainable = model.nonTrainableWeights.reduce((n, v) => n + v.size, 0);
  lines.push(`Total params: ${formatCount(trainable + nonTrainable)}`);
  lines.push(`Trainable params: ${formatCount(trainable)}`);
  lines.push(`Non-trainable params: ${formatCount(nonTrainable)}`);
  lines.push('_'.repeat(lineLength));
  const print = options.printFn ?? ((line: string) => console.log(line));
  for (const line of lines) print(line);
  return lines.join('\n');
}
