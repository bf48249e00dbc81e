/**
 * `ready()`: chooses the engine once per process, starts it and installs it in core.
 */
import { activeEngine, EngineStateError, hasEngine, setEngine, setSeed, type Engine } from '@strata/core';
import { loadConfig, type LoadedConfig } from './config.js';
import { importPackage, loadEngine, type ModuleImporter } from './load-engine.js';
import { resolveChoice, type EngineChoice, type EngineInfo, type ReadyOptions } from './resolve-choice.js';

/** Browsers have no config files or environment: there, only `ready()` options count. */
const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

const noConfigFile = async (): Promise<LoadedConfig> => ({ config: {} });

function sameOptions(a: object, b: object): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/**
 * Holds this process's engine choice. `ready` and `getEngine` use one shared instance; tests make
 * their own, with an importer that simulates missing or failing engine packages.
 *
 * @internal
 * @example
 * const chooser = new EngineChooser(async () => ({ createEngine: async () => fakeEngine }));
 * await chooser.ready({ engine: 'webgpu' });
 */
export class EngineChooser {
  private current: { info: EngineInfo; engine: Engine } | null = null;
  /** Calls run one after another, so two concurrent `ready()`s never start two engines. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly importer: ModuleImporter = importPackage,
    private readonly readConfig: (cwd?: string) => Promise<LoadedConfig> = inNode ? loadConfig : noConfigFile,
  ) {}

  ready(options: ReadyOptions = {}): Promise<EngineInfo> {
    const run = this.queue.then(() => this.choose(options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  getEngine(): EngineInfo {
    const current = this.live();
    if (current) return current.info;
    if (hasEngine()) {
      throw new EngineStateError(
        `The active engine "${activeEngine().engine.name}" was installed with setEngine() from @strata/core, not by ready(), ` +
          'so there is no config choice to report. Use activeEngine() from @strata/core instead, or install engines with `await ready()`.',
      );
    }
    throw new EngineStateError('No engine has been chosen yet: `await ready()` (from "strata") before calling getEngine().');
  }

  /** The engine this chooser installed, unless someone has since replaced it through core directly. */
  private live(): { info: EngineInfo; engine: Engine } | null {
    if (!this.current || !hasEngine() || activeEngine().engine !== this.current.engine) return null;
    return this.current;
  }

  private async choose(options: ReadyOptions): Promise<EngineInfo> {
    const current = this.live();
    const choice: EngineChoice = await resolveChoice(options, {
      env: inNode ? process.env : {},
      readConfig: this.readConfig,
      ...(current ? { current: current.info } : {}),
    });
    const { info } = choice;

    if (current && current.info.name === info.name && sameOptions(current.info.options, info.options)) {
      // Re-seeding on every call would restart the random stream mid-program; only an explicit
      // seed argument does that.
      if (options.seed !== undefined && choice.seed !== undefined) setSeed(choice.seed);
      return current.info;
    }

    const engine = await loadEngine(info, this.importer);
    try {
      // Core refuses the switch while tensors are alive, with a message that says why.
      setEngine(engine, { kind: info.source, ...(info.file === undefined ? {} : { file: info.file }) });
    } catch (error) {
      engine.close?.();
      throw error;
    }
    if (choice.seed !== undefined) setSeed(choice.seed);
    const frozen = Object.freeze({ ...info, options: Object.freeze({ ...info.options }) }) as EngineInfo;
    this.current = { info: frozen, engine };
    return frozen;
  }
}

const processChooser = new EngineChooser();

/**
 * Chooses, starts and installs the engine; call it once before creating tensors. The engine is
 * the `engine` option, else `STRATA_ENGINE`, else the config file's `engine`, else `cpu`; the seed
 * is the `seed` option, else `STRATA_SEED`, else the config file's `seed`. The choice is made once
 * per process: later calls that name no engine return the same info, and a call naming another
 * engine switches only while no tensors are alive (core throws otherwise).
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
