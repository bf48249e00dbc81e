import type { Conv2DAttrs } from '@strata/engine-api';
import {
  conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel,
  depthwiseConv2dBackpropFilterKernel, depthwiseConv2dBackpropInputKernel,
} from '../ops/conv-dispatch.js';
import { registerGradient } from '../tape.js';

// Gradients of the convolution fast paths (the decompositions differentiate through core ops).
// Convolution is bilinear in (input, filter), so each gradient is another member of the triple:
// conv2d's input gradient is conv2dBackpropInput, its filter gradient conv2dBackpropFilter, and
// conv2dBackpropInput (what conv2dTranspose runs) differentiates back into conv2d and
// conv2dBackpropFilter.

function attrsOf(a: Record<string, any>): Conv2DAttrs {
  return { strides: a.strides, dilations: a.dilations, pad: a.pad };
}

// An input nobody differentiates (a network's images) gets no gradient: skipping it saves a
// backward pass as large as the forward one.

registerGradient('conv2d', ([dy], { inputs: [x, filter], attrs, needsGrad: [needX, needFilter] }) => [
  needX ? conv2dBackpropInputKernel(dy!, filter!, x!.shape, attrsOf(attrs)) : null,
  needFilter ? conv2dBackpropFilterKernel(x!, dy!, filter!.shape, attrsOf(attrs)) : null,
]);

registerGradient('conv2dBackpropInput', ([g], { inputs: [dy, filter], attrs, needsGrad: [needDy, needFilter] }) => [
  needDy ? conv2dKernel(g!, filter!, attrsOf(attrs)) : null,
  needFilter ? conv2dBackpropFilterKernel(g!, dy!, filter!.shape, attrsOf(attrs)) : null,
]);

registerGradient('depthwiseConv2d', ([dy], { inputs: [x, filter], attrs, needsGrad: [needX, needFilter] }) => [
  needX ? depthwiseConv2dBackpropInputKernel(dy!, filter!, x!.shape, attrsOf(attrs)) : null,
  needFilter ? depthwiseConv2dBackpropFilterKernel(x!, dy!, filter!.shape, attrsOf(attrs)) : null,
]);
