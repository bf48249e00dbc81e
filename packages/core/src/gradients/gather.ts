import { gatherKernel, scatterAddKernel } from '../ops/layout-kernels.js';
import { registerGradient } from '../tape.js';

// gather and scatterAdd are each other's adjoints; their int32 indices have no gradient.

registerGradient('gather', ([dy], { inputs: [x, indices], attrs }) => [scatterAddKernel(dy!, indices!, attrs.axis, x!.shape), null]);

registerGradient('scatterAdd', ([dy], { inputs: [, indices], attrs }) => [gatherKernel(dy!, indices!, attrs.axis), null]);
