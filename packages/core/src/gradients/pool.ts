import type { Pool2DAttrs } from '@strata/engine-api';
import { avgPoolBackwardKernel, maxPoolBackwardKernel } from '../ops/pool-dispatch.js';
import { registerGradient } from '../tape.js';

// Gradients of the pooling fast paths, through their backward kernels (the decompositions
// differentiate through core ops). maxPool routes each cell's gradient to the first maximal input
// cell of its window; on ties the decomposition shares it among the maxima instead.

function attrsOf(a: Record<string, any>): Pool2DAttrs {
  return { windowSize: a.windowSize, strides: a.strides, pad: a.pad };
}

registerGradient('maxPool', ([dy], { inputs: [x], attrs }) => [maxPoolBackwardKernel(dy!, x!, attrsOf(attrs))]);

registerGradient('avgPool', ([dy], { inputs: [x], attrs }) => [avgPoolBackwardKernel(dy!, x!.shape, attrsOf(attrs))]);
