import { StrataError } from '@strata/core';

/**
 * Why a model cannot be exported to ONNX: names the layer and its class (when one is at fault),
 * what about it has no ONNX equivalent, and what to change.
 *
 * @example
 * throw new OnnxExportError('LSTM is stateful; ONNX graphs carry no state between runs. Export a copy built with stateful: false', { name: 'lstm_1', className: 'LSTM' });
 */
export class OnnxExportError extends StrataError {
  /** The layer at fault, if one is. */
  readonly layerName: string | null;
  readonly layerClass: string | null;

  constructor(detail: string, layer?: { name: string; className: string }) {
    super(layer ? `exportOnnx: layer '${layer.name}' (${layer.className}): ${detail}` : `exportOnnx: ${detail}`);
    this.layerName = layer?.name ?? null;
    this.layerClass = layer?.className ?? null;
  }
}
