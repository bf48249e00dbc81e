/**
 * Decides which engine, engine options and seed to use, from the `ready()` argument, the
 * environment and the config file. Loads nothing but the config file, so every precedence rule can
 * be tested without starting an engine.
 */
import type { z } from 'zod';
import { configIssuesError } from './config-issues.js';
import {
  DEFAULT_ENGINE,
  engineNameSchema,
  envSeedSchema,
  strataConfigSchema,
  type CpuOptions,
  type CudaOptions,
  type EngineName,
  type EngineOptionsByName,
  type StrataConfig,
  type WebgpuOptions,
} from './config-schema.js';
import type { LoadedConfig } from './config.js';
import type { EngineModules } from './engine-modules.js';

/** Where the engine choice came from. */
export type ChoiceSource = 'argument' | 'env' | 'config' | 'default';

/** What `ready()` accepts. Engine option sections are merged over the config file's, key by key. */
export interface ReadyOptions {
  /** The engine to use; overrides `STRATA_ENGINE` and the config file. */
  engine?: EngineName | (string & {});
  /** Seed for random ops; overrides `STRATA_SEED` and the config file. */
  seed?: number;
  /** Where the config file search starts (default `process.cwd()`). */
  cwd?: string;
  /**
   * Engine modules to use instead of importing engine packages by name. Browser bundles need it
   * for every engine but `cpu`: `{ webgpu: () => import('@strata/engine-webgpu') }`. A loader is
   * called only when its engine is chosen.
   */
  engines?: EngineModules;
  cpu?: CpuOptions;
  webgpu?: WebgpuOptions;
  cuda?: CudaOptions;
}

/** The chosen engine, where the choice came from, and the options it is started with. */
export type EngineInfo = {
  [N in EngineName]: {
    readonly name: N;
    readonly source: ChoiceSource;
    /** The config file that was read, if one was found; it may supply options even when `source` is not `config`. */
    readonly file?: string;
    readonly options: Readonly<EngineOptionsByName[N]>;
  };
}[EngineName];

/** An engine choice plus the seed to apply with it. */
export interface EngineChoice {
  info: EngineInfo;
  seed?: number;
}

/** What the resolver reads besides the argument; injectable so tests control it. */
export interface ChoiceContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads the config file; browsers pass one that returns `{ config: {} }`. */
  readConfig: (cwd?: string) => Promise<LoadedConfig>;
  /** The engine already chosen in this process: a call that names no engine keeps it. */
  current?: Pick<EngineInfo, 'name' | 'source'>;
}

function readEnv<S extends z.ZodType>(env: ChoiceContext['env'], variable: string, schema: S): z.output<S> | undefined {
  const raw = env[variable];
  // An empty value is how shells and CI files "unset" a variable, so it is not an error.
  if (raw === undefined || raw.trim() === '') return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw configIssuesError(parsed.error, raw, { kind: 'env', variable });
  return parsed.data;
}

function definedEntries<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Resolves the engine choice. Engine: argument > the engine already chosen > `STRATA_ENGINE` >
 * config file > `cpu`. Seed: argument > `STRATA_SEED` > config file > none. Every value is checked
 * with the config schema, and a bad one throws `ConfigError` naming where it came from.
 *
 * @example
 * const { info, seed } = await resolveChoice({ engine: 'cpu' }, { env: process.env, readConfig: loadConfig });
 * info.source; // 'argument'
 */
export async function resolveChoice(options: ReadyOptions, context: ChoiceContext): Promise<EngineChoice> {
  // `engines` holds code, not config: the chooser checks it and hands it to loadEngine.
  const { cwd, engines: _engines, ...rest } = options;
  const parsedArg = strataConfigSchema.safeParse(rest);
  if (!parsedArg.success) throw configIssuesError(parsedArg.error, rest, { kind: 'argument' });
  const arg: StrataConfig = parsedArg.data;

  const envEngine = readEnv(context.env, 'STRATA_ENGINE', engineNameSchema);
  const envSeed = readEnv(context.env, 'STRATA_SEED', envSeedSchema);
  const { config, file } = await context.readConfig(cwd);

  let name: EngineName;
  let source: ChoiceSource;
  if (arg.engine !== undefined) [name, source] = [arg.engine, 'argument'];
  else if (context.current) [name, source] = [context.current.name, context.current.source];
  else if (envEngine !== undefined) [name, source] = [envEngine, 'env'];
  else if (config.engine !== undefined) [name, source] = [config.engine, 'config'];
  else [name, source] = [DEFAULT_ENGINE, 'default'];

  const engineOptions = { ...definedEntries(config[name]), ...definedEntries(arg[name]) };
  const info = { name, source, ...(file === undefined ? {} : { file }), options: engineOptions } as EngineInfo;
  const seed = arg.seed ?? envSeed ?? config.seed;
  return seed === undefined ? { info } : { info, seed };
}
