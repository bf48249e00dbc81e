/**
 * Engine modules handed to `ready()` by the program instead of imported by package name. Browser
 * bundles need this: `ready()` imports engines with a variable specifier (so a bundler never pulls
 * in an engine nobody chose), and a bundler cannot follow such an import. The page writes the
 * import itself, `() => import('@strata/engine-webgpu')`, which the bundler can see and split.
 */
import type { EngineFactory } from '@strata/engine-api';
import { ENGINE_NAMES, type EngineName } from './config-schema.js';
import { formatValue } from './config-issues.js';
import { ConfigError } from './errors.js';

/** What an engine package exports: its factory. */
export interface EngineModule {
  // Method syntax on purpose: each engine's factory takes its own options type (WebGpuOptions),
  // which a property typed `EngineFactory` would reject.
  createEngine(options?: object): ReturnType<EngineFactory>;
}

/**
 * An engine module, or a function that loads one. A function is called only when its engine is
 * chosen, so `() => import('@strata/engine-webgpu')` keeps the engine out of the page until then.
 */
export type EngineModuleSource = EngineModule | (() => EngineModule | Promise<EngineModule>);

/** Engine sources by engine name, as the `engines` option of `ready()`. */
export type EngineModules = { [N in EngineName]?: EngineModuleSource };

/**
 * Checks the `engines` option of `ready()`: known engine names only, each a module or a loader.
 * Throws `ConfigError` naming the key, so a misspelt `webgu` is not silently ignored.
 *
 * @example
 * checkEngineModules({ webgpu: () => import('@strata/engine-webgpu') }); // ok
 * checkEngineModules({ webgu: () => import('@strata/engine-webgpu') });  // throws: not a known engine
 */
export function checkEngineModules(engines: unknown): EngineModules {
  if (engines === undefined) return {};
  if (engines === null || typeof engines !== 'object' || Array.isArray(engines)) {
    throw new ConfigError(
      `Invalid ready() options: "engines" is ${formatValue(engines)}; expected an object such as { webgpu: () => import('@strata/engine-webgpu') }. Fix the value or leave it out.`,
      { key: 'engines', received: engines },
    );
  }
  for (const [name, source] of Object.entries(engines)) {
    const key = `engines.${name}`;
    if (!(ENGINE_NAMES as readonly string[]).includes(name)) {
      throw new ConfigError(
        `Invalid ready() options: "${key}" is not a known engine; "engines" accepts ${ENGINE_NAMES.map((n) => `"${n}"`).join(', ')}. Fix its spelling or remove it.`,
        { key, received: source },
      );
    }
    if (source === undefined) continue;
    if (typeof source !== 'function' && (source === null || typeof source !== 'object')) {
      throw new ConfigError(
        `Invalid ready() options: "${key}" is ${formatValue(source)}; expected an engine module or a function that imports one, such as () => import('@strata/engine-${name}'). Fix the value or leave it out.`,
        { key, received: source },
      );
    }
  }
  return engines as EngineModules;
}
