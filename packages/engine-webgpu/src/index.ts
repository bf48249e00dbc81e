/**
 * `@strata/engine-webgpu`: Strata's WebGPU engine. Users choose it with `{ "engine": "webgpu" }` in
 * strata.config.json or `STRATA_ENGINE=webgpu`; `strata` imports this package and calls
 * `createEngine` with the config's `webgpu` section.
 */
import type { EngineFactory } from '@strata/engine-api';
import { acquireDevice } from './device.js';
import type { WebGpuOptions } from './options.js';
import { WebGpuEngine } from './webgpu-engine.js';

export { WebGpuEngine } from './webgpu-engine.js';
export { WebGpuUnavailableError } from './device.js';
export type { WebGpuOptions } from './options.js';

/**
 * Starts the WebGPU engine: `navigator.gpu` in browsers, Dawn (the `webgpu` package) in Node.
 * Rejects with a `WebGpuUnavailableError` saying why and what to install when no adapter exists.
 *
 * @example
 * const engine = await createEngine({ powerPreference: 'high-performance' });
 */
export const createEngine: EngineFactory<WebGpuOptions> = async (options = {}) => new WebGpuEngine(await acquireDevice(options));
