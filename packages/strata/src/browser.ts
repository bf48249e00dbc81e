/**
 * `strata` for browsers, chosen by bundlers through the "browser" export condition. The same API
 * as in Node except that there are no config files or environment variables (so no `loadConfig`),
 * and engines other than `cpu` are passed to `ready()` as modules, since a bundle cannot import a
 * package whose name is only known at run time.
 *
 * @example
 * import * as st from 'strata';
 * await st.ready({ engine: 'webgpu', engines: { webgpu: () => import('@strata/engine-webgpu') } });
 * const y = st.matmul(st.ones([2, 3]), st.ones([3, 4]));
 */
export * from '@strata/core';
export * from './api.js';
export { ready, getEngine } from './ready-browser.js';
