/**
 * `ready()` for Node: engines are imported by package name, and the config comes from the
 * `ready()` argument, `STRATA_*` variables and the project's config file.
 */
import { loadConfig, type LoadedConfig } from './config.js';
import { EngineChooser } from './engine-chooser.js';
import { importPackage, type ModuleImporter } from './load-engine.js';
import type { EngineInfo, ReadyOptions } from './resolve-choice.js';

/**
 * Kept although this is the Node entry: a bundler that ignores the "browser" export condition may
 * still bring it to a browser, where there are no config files or environment.
 */
const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

const noConfigFile = async (): Promise<LoadedConfig> => ({ config: {} });

/**
 * A chooser that behaves as `ready()` does in Node; tests pass an importer that simulates missing
 * or failing engine packages, or their own config reader.
 *
 * @internal
 * @example
 * const chooser = nodeChooser(async () => ({ createEngine: async () => fakeEngine }));
 * await chooser.ready({ engine: 'webgpu' });
 */
export function nodeChooser(
  importer: ModuleImporter = importPackage,
  readConfig: (cwd?: string) => Promise<LoadedConfig> = inNode ? loadConfig : noConfigFile,
): EngineChooser {
  return new EngineChooser({ importer, readConfig, env: () => (inNode ? process.env : {}) });
}

const processChooser = nodeChooser();

/**
 * Chooses, starts and installs the engine; call it once before creating tensors. The engine is
 * the `engine` option, else `STRATA_ENGINE`, else the config file's `engine`, else `cpu`; the seed
 * is the `seed` option, else `STRATA_SEED`, else the config file's `seed`. The choice is made once
 * per process: later calls that name no engine return the same info, and a call naming another
 * engine switches only while no tensors are alive (core throws otherwise). The engine's package is
 * imported by name unless the `engines` option gives its module.
 *
 * @example
 * import { ready } from 'strata';
 * const info = await ready();            // engine from STRATA_ENGINE, strata.config.*, or cpu
 * await ready({ engine: 'cpu', seed: 42 });
 */
export function ready(options?: ReadyOptions): Promise<EngineInfo> {
  return processChooser.ready(options);
}

/**
 * The engine `ready()` chose, where the choice came from and its options. Throws if `ready()` has
 * not finished yet.
 *
 * @example
 * await ready();
 * const { name, source, file } = getEngine(); // e.g. 'webgpu', 'config', '/app/strata.config.json'
 */
export function getEngine(): EngineInfo {
  return processChooser.getEngine();
}
