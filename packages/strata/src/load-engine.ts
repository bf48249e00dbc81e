/**
 * Imports an engine's package and starts the engine. Each package is imported only when chosen, so
 * the default CPU engine never loads GPU bindings or native addons.
 */
import type { Engine, EngineFactory } from '@strata/engine-api';
import { ENGINE_NAMES, engineNameSchema, type EngineName } from './config-schema.js';
import type { EngineModules } from './engine-modules.js';
import { ConfigError, EngineLoadError } from './errors.js';
import type { ChoiceSource } from './resolve-choice.js';

/** The package that holds each engine. */
export const ENGINE_PACKAGES: Readonly<Record<EngineName, string>> = {
  cpu: '@strata/engine-cpu',
  webgpu: '@strata/engine-webgpu',
  cuda: '@strata/engine-cuda',
};

/** Imports a module by specifier; tests pass their own to simulate missing or broken packages. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/**
 * The real importer. The specifier is a variable so bundlers do not try to resolve engines the user
 * never installed.
 *
 * @example
 * const mod = await importPackage('@strata/engine-cpu');
 */
export const importPackage: ModuleImporter = (specifier) => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

/** What `loadEngine` needs to know about the choice: the name, and where it came from for messages. */
export interface EngineRequest {
  name: string;
  source: ChoiceSource;
  file?: string;
  options?: object;
}

function whereSet(request: EngineRequest): string {
  switch (request.source) {
    case 'argument':
      return 'is set in the ready() argument';
    case 'env':
      return 'is set in the STRATA_ENGINE environment variable';
    case 'config':
      return request.file === undefined ? 'is set in the config file' : `is set in ${request.file}`;
    case 'default':
      return 'is the default';
  }
}

const others = (name: string): string => ENGINE_NAMES.filter((n) => n !== name).join(', ');

/**
 * True when the error says `packageName` itself cannot be found. A package that is installed but
 * misses one of its own dependencies fails with the same code, and must not be reported as "not
 * installed": reinstalling the engine would not be the fix.
 */
function isMissingPackage(error: unknown, packageName: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return error.message.includes(`'${packageName}'`) || error.message.includes(`"${packageName}"`);
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The module of the requested engine: from `provided` when the program gave one (a module or a
 * loader), else imported by package name. `importer` is null where nothing can be imported by name
 * (the browser build): there a missing module is the program's to provide, and the error says how.
 */
async function engineModule(
  request: EngineRequest,
  name: EngineName,
  importer: ModuleImporter | null,
  provided: EngineModules,
): Promise<unknown> {
  const packageName = ENGINE_PACKAGES[name];
  const source = provided[name];
  if (source !== undefined) {
    try {
      return typeof source === 'function' ? await source() : source;
    } catch (error) {
      throw new EngineLoadError(
        `engine "${name}" ${whereSet(request)} but loading its module (the "${name}" entry of ready()'s engines) failed: ${messageOf(error)}\n` +
          `Check that ${packageName} is installed and bundled, or choose another engine: ${others(name)}.`,
        name, packageName, 'import-failed', error,
      );
    }
  }
  if (importer === null) {
    throw new EngineLoadError(
      `engine "${name}" ${whereSet(request)} but this build of strata (for browsers) cannot import engine packages by name, ` +
        `and no module was given for it: pass one to ready(), e.g. ready({ engine: '${name}', engines: { ${name}: () => import('${packageName}') } }), ` +
        `or choose another engine: ${others(name)}.`,
      name, packageName, 'not-provided',
    );
  }
  try {
    return await importer(packageName);
  } catch (error) {
    if (isMissingPackage(error, packageName)) {
      throw new EngineLoadError(
        `engine "${name}" ${whereSet(request)} but ${packageName} is not installed: run \`pnpm add ${packageName}\` (or choose another engine: ${others(name)})`,
        name, packageName, 'not-installed', error,
      );
    }
    throw new EngineLoadError(
      `engine "${name}" ${whereSet(request)} but importing ${packageName} failed: ${messageOf(error)}\n` +
        `Reinstall ${packageName}, or choose another engine: ${others(name)}.`,
      name, packageName, 'import-failed', error,
    );
  }
}

/**
 * Loads the module of the requested engine and calls its `createEngine` with the engine's options.
 * The module is `provided[name]` when given (see `ready()`'s `engines` option), else the engine's
 * package imported by name. Every failure throws an error saying which engine, where it was
 * chosen, what went wrong and what to do: `ConfigError` for an unknown name, `EngineLoadError` for
 * a missing or broken package or a factory that throws (no GPU adapter, no driver).
 *
 * @example
 * const engine = await loadEngine({ name: 'cpu', source: 'default' });
 * engine.name; // 'cpu'
 * const gpu = await loadEngine({ name: 'webgpu', source: 'argument' }, null, { webgpu: () => import('@strata/engine-webgpu') });
 */
export async function loadEngine(
  request: EngineRequest,
  importer: ModuleImporter | null = importPackage,
  provided: EngineModules = {},
): Promise<Engine> {
  const known = engineNameSchema.safeParse(request.name);
  if (!known.success) {
    throw new ConfigError(
      `Unknown engine ${JSON.stringify(request.name)} (it ${whereSet(request)}); known engines: ${ENGINE_NAMES.join(', ')}.`,
      { ...(request.file === undefined ? {} : { file: request.file }), key: 'engine', received: request.name },
    );
  }
  const name = known.data;
  const packageName = ENGINE_PACKAGES[name];
  const mod = await engineModule(request, name, importer, provided);

  const createEngine = (mod as { createEngine?: unknown } | null)?.createEngine;
  if (typeof createEngine !== 'function') {
    const given = provided[name] !== undefined;
    throw new EngineLoadError(
      `${given ? `the module given as engines.${name} to ready()` : packageName} does not export a createEngine function, ` +
        `so it is not a Strata engine package of a compatible version. ` +
        (given ? `Give the ${packageName} module itself, e.g. () => import('${packageName}'), ` : `Install the ${packageName} version that matches strata, `) +
        `or choose another engine: ${others(name)}.`,
      name, packageName, 'bad-package',
    );
  }

  try {
    return await (createEngine as EngineFactory)(request.options as Record<string, unknown> | undefined);
  } catch (error) {
    throw new EngineLoadError(
      `engine "${name}" ${whereSet(request)} but failed to start: ${messageOf(error)}\n` +
        `Fix the cause above, or choose another engine: ${others(name)}.`,
      name, packageName, 'factory-failed', error,
    );
  }
}
