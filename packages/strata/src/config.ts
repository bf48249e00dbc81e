/**
 * Finds and validates the project's Strata config file (Node only).
 *
 * Node modules and cosmiconfig are imported inside `loadConfig`, not at the top: `ready()` imports
 * this module in browsers too, where there are no config files and no `node:fs`.
 */
import { configIssuesError } from './config-issues.js';
import { strataConfigSchema, type StrataConfig } from './config-schema.js';
import { ConfigError } from './errors.js';

/**
 * Where a config may live, in the order they are tried within one directory. A `"strata"` key in
 * package.json comes first so a project that keeps its settings there is not overridden by a stray
 * rc file.
 */
export const CONFIG_SEARCH_PLACES: readonly string[] = [
  'package.json',
  '.stratarc',
  '.stratarc.json',
  '.stratarc.yaml',
  '.stratarc.yml',
  'strata.config.json',
  'strata.config.yaml',
  'strata.config.yml',
  'strata.config.js',
  'strata.config.cjs',
  'strata.config.mjs',
  'strata.config.ts',
];

/** Files that mark the top of a project: the search never goes above the nearest one. */
const PROJECT_MARKERS = ['package.json', '.git'];

/** A validated config and the file it came from (absent when no file was found). */
export interface LoadedConfig {
  config: StrataConfig;
  file?: string;
}

async function exists(file: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The directories to search, from `start` up to and including the nearest one holding
 * package.json or .git. When there is no such directory, only `start` is searched: without a
 * project root, every parent (the home directory, /tmp) is unrelated to this program.
 */
async function searchDirs(start: string): Promise<string[]> {
  const { dirname, join } = await import('node:path');
  const dirs: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    dirs.push(dir);
    for (const marker of PROJECT_MARKERS) {
      if (await exists(join(dir, marker))) return dirs;
    }
    if (dirname(dir) === dir) return [start];
  }
}

/**
 * The parser's own explanation. cosmiconfig prefixes it with the file name, which our message
 * already gives, and parse-json repeats its code frame, which we print once.
 */
function parseDetail(error: unknown, file: string): string {
  let message = error instanceof Error ? error.message : String(error);
  const escapedFile = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  message = message.replace(new RegExp(`^\\w+ Error in ${escapedFile}:\\s*`), '');
  const frame = (error as { codeFrame?: unknown }).codeFrame;
  if (typeof frame === 'string' && frame.trim() !== '') {
    message = `${message.split(frame).join(' ').replace(/\s+/g, ' ').trim()}\n${frame}`;
  }
  return message.trim();
}

/**
 * Finds the Strata config for a directory and validates it. Searches `cwd` and its parents up to
 * the project root (the nearest directory with package.json or .git), trying in each directory a
 * `"strata"` key in package.json, then `.stratarc` (YAML or JSON), `.stratarc.{json,yaml,yml}` and
 * `strata.config.{json,yaml,yml,js,cjs,mjs,ts}`. An empty file counts as an empty config.
 *
 * Throws `ConfigError` naming the file when it cannot be parsed or holds an invalid value.
 *
 * @example
 * const { config, file } = await loadConfig();
 * console.log(config.engine ?? 'cpu', file ?? '(no config file)');
 */
export async function loadConfig(cwd?: string): Promise<LoadedConfig> {
  const { resolve } = await import('node:path');
  const { cosmiconfig } = await import('cosmiconfig');
  const start = resolve(cwd ?? process.cwd());
  // searchStrategy 'none' searches one directory per call; we walk the directories ourselves
  // because cosmiconfig's 'project' stops only at package.json (not .git) and 'global' climbs to
  // the home directory and then reads ~/.config/strata, which no project asked for.
  const explorer = cosmiconfig('strata', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'none',
    // An empty strata.config.json is a deliberate "use the defaults", not a reason to keep looking.
    ignoreEmptySearchPlaces: false,
    // A cached failure would outlive the user's fix in a long-running process.
    cache: false,
  });
  for (const dir of await searchDirs(start)) {
    let result: Awaited<ReturnType<typeof explorer.search>>;
    try {
      result = await explorer.search(dir);
    } catch (error) {
      const file = (error as { filepath?: unknown } | null)?.filepath;
      if (typeof file !== 'string') throw error;
      throw new ConfigError(
        `Cannot read Strata config ${file}: ${parseDetail(error, file)}\nFix the file, or delete it to use the defaults.`,
        { file, cause: error },
      );
    }
    if (result === null) continue;
    const raw: unknown = result.isEmpty ? {} : result.config;
    const parsed = strataConfigSchema.safeParse(raw);
    if (!parsed.success) throw configIssuesError(parsed.error, raw, { kind: 'file', file: result.filepath });
    return { config: parsed.data, file: result.filepath };
  }
  return { config: {} };
}
