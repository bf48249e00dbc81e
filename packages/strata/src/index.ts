/**
 * `strata`: what users import. Everything from `@strata/core` (tensors, ops, autograd, memory),
 * plus `ready()` and the config that picks the engine.
 *
 * @example
 * import * as st from 'strata';
 * await st.ready();
 * const y = st.matmul(st.ones([2, 3]), st.ones([3, 4]));
 */
export * from '@strata/core';
export { ready, getEngine } from './ready.js';
export { loadConfig, CONFIG_SEARCH_PLACES, type LoadedConfig } from './config.js';
export {
  strataConfigSchema, ENGINE_NAMES, DEFAULT_ENGINE, type StrataConfig, type EngineName, type CpuOptions,
  type WebgpuOptions, type CudaOptions, type EngineOptionsByName,
} from './config-schema.js';
export { ENGINE_PACKAGES } from './load-engine.js';
export type { ReadyOptions, EngineInfo, ChoiceSource } from './resolve-choice.js';
export { ConfigError, EngineLoadError, type EngineLoadFailure } from './errors.js';
