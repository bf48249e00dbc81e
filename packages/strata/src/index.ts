/**
 * `strata`: what users import. Everything from `@strata/core` (tensors, ops, autograd, memory),
 * the layers API, plus `ready()` and the config that picks the engine. Bundlers targeting
 * browsers get `browser.ts` instead (the "browser" export condition).
 *
 * @example
 * import * as st from 'strata';
 * await st.ready();
 * const y = st.matmul(st.ones([2, 3]), st.ones([3, 4]));
 */
export * from '@strata/core';
export * from './api.js';
export { ready, getEngine } from './ready.js';
export { loadConfig, CONFIG_SEARCH_PLACES, type LoadedConfig } from './config.js';
