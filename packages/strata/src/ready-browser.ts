/**
 * `ready()` for browsers: no config files or environment, and no import by package name (a
 * bundler cannot follow one). The `cpu` engine is built in; the page gives any other engine's
 * module through the `engines` option.
 */
import { EngineChooser } from './engine-chooser.js';
import type { EngineInfo, ReadyOptions } from './resolve-choice.js';

/**
 * A chooser that behaves as `ready()` does in browsers.
 *
 * @internal
 * @example
 * const chooser = browserChooser();
 * await chooser.ready({ engine: 'cpu' });
 */
export function browserChooser(): EngineChooser {
  return new EngineChooser({
    importer: null,
    // A literal specifier, so bundlers include the default engine (strata depends on it).
    builtins: { cpu: () => import('@strata/engine-cpu') },
    readConfig: async () => ({ config: {} }),
    env: () => ({}),
  });
}

const pageChooser = browserChooser();

/**
 * Chooses, starts and installs the engine; call it once before creating tensors. In browsers the
 * engine and seed come from the options only (default `cpu`). Engines other than `cpu` are given
 * as modules, so the bundler sees their import and loads them only when chosen.
 *
 * @example
 * import { ready } from 'strata';
 * await ready({ engine: 'webgpu', seed: 42, engines: { webgpu: () => import('@strata/engine-webgpu') } });
 */
export function ready(options?: ReadyOptions): Promise<EngineInfo> {
  return pageChooser.ready(options);
}

/**
 * The engine `ready()` chose and its options. Throws if `ready()` has not finished yet.
 *
 * @example
 * await ready({ engine: 'cpu' });
 * getEngine().name; // 'cpu'
 */
export function getEngine(): EngineInfo {
  return pageChooser.getEngine();
}
