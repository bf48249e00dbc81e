/**
 * The engine choice of one program: resolves it, starts the engine and installs it in core. It
 * holds no Node-only code, so the Node entry (`ready.ts`) and the browser entry
 * (`ready-browser.ts`) each make one with their own way of finding config and engine modules.
 */
import { activeEngine, EngineStateError, hasEngine, setEngine, setSeed, type Engine } from '@strata/core';
import type { LoadedConfig } from './config.js';
import { checkEngineModules, type EngineModules } from './engine-modules.js';
import { loadEngine, type ModuleImporter } from './load-engine.js';
import { resolveChoice, type EngineChoice, type EngineInfo, type ReadyOptions } from './resolve-choice.js';

/** What differs between platforms: where config, environment and engine modules come from. */
export interface ChooserPlatform {
  /** Imports an engine package by name; null where that cannot work (browser bundles). */
  importer: ModuleImporter | null;
  /** Engine modules this build always has (the browser build's `cpu`); `ready()`'s `engines` option overrides them. */
  builtins?: EngineModules;
  /** Reads the config file; browsers have none. */
  readConfig: (cwd?: string) => Promise<LoadedConfig>;
  /** The environment variables, read at each call so a changed `process.env` counts. */
  env: () => Readonly<Record<string, string | undefined>>;
}

function sameOptions(a: object, b: object): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/**
 * Holds a program's engine choice. `ready` and `getEngine` use one shared instance per entry;
 * tests make their own, with an importer that simulates missing or failing engine packages.
 *
 * @internal
 * @example
 * const chooser = new EngineChooser({ importer: null, readConfig: async () => ({ config: {} }), env: () => ({}) });
 * await chooser.ready({ engine: 'webgpu', engines: { webgpu: () => import('@strata/engine-webgpu') } });
 */
export class EngineChooser {
  private current: { info: EngineInfo; engine: Engine } | null = null;
  /** Calls run one after another, so two concurrent `ready()`s never start two engines. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly platform: ChooserPlatform) {}

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
    const given = checkEngineModules(options.engines);
    const choice: EngineChoice = await resolveChoice(options, {
      env: this.platform.env(),
      readConfig: this.platform.readConfig,
      ...(current ? { current: current.info } : {}),
    });
    const { info } = choice;

    if (current && current.info.name === info.name && sameOptions(current.info.options, info.options)) {
      // Re-seeding on every call would restart the random stream mid-program; only an explicit
      // seed argument does that.
      if (options.seed !== undefined && choice.seed !== undefined) setSeed(choice.seed);
      return current.info;
    }

    const engine = await loadEngine(info, this.platform.importer, { ...this.platform.builtins, ...given });
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
