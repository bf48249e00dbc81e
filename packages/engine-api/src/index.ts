/**
 * `@strata/engine-api`: the contract between Strata's core and its engines. Types, the kernel
 * vocabulary, and the random-number spec every engine implements.
 */
export * from './types.js';
export * from './kernels.js';
export * from './engine.js';
export * from './philox.js';
export * from './geometry.js';
