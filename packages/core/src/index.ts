/**
 * `@strata/core`: tensors, ops, autograd and memory, over whichever engine is installed.
 */
import './gradients/index.js';

export type { DType, Shape, HostArray, Engine, OptimizerUpdate } from '@strata/engine-api';
export { Tensor, Variable, type NestedArray } from './tensor.js';
export { tensor, convert, type TensorLike } from './convert.js';
export { tidy, keep, dispose, disposeAfter, type TensorContainer } from './memory.js';
export { memory, setEngine, activeEngine, hasEngine, setSeed, getSeed, type EngineSource, type MemoryInfo } from './runtime.js';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads, variable, customGrad, stopGradient, type CustomGradResult } from './autograd.js';
export { runKernel, runKernel1, type KernelRunner } from './dispatch.js';
export { registerGradient, type GradFn, type GradRecord } from './tape.js';
export { defineOp } from './ops/define-op.js';
export { StrataError, OpError, DisposedTensorError, EngineStateError, fmtShape } from './util/errors.js';
export * from './ops/index.js';
