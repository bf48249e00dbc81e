/**
 * Errors thrown while choosing and starting an engine. Messages say what was received, where it
 * came from and the fix; the fields repeat the facts for programs that handle the error.
 */
import { StrataError } from '@strata/core';

/** Where a config value came from, as error messages and `EngineInfo` describe it. */
export type ConfigLocation =
  | { kind: 'file'; file: string }
  | { kind: 'argument' }
  | { kind: 'env'; variable: string };

/**
 * A config value is invalid or a config file cannot be read.
 *
 * @example
 * try {
 *   await ready();
 * } catch (e) {
 *   if (e instanceof ConfigError) console.error(e.file, e.key, e.received);
 * }
 */
export class ConfigError extends StrataError {
  /** The config file at fault, when the value came from one. */
  readonly file?: string;
  /** The key path (`webgpu.powerPreference`) or environment variable holding the bad value. */
  readonly key?: string;
  /** The value that was rejected. */
  readonly received?: unknown;

  constructor(message: string, details: { file?: string; key?: string; received?: unknown; cause?: unknown } = {}) {
    super(message);
    if (details.file !== undefined) this.file = details.file;
    if (details.key !== undefined) this.key = details.key;
    if ('received' in details) this.received = details.received;
    if (details.cause !== undefined) this.cause = details.cause;
  }
}

/**
 * Why an engine could not be started. `not-provided`: the browser build cannot import engines by
 * name, and `ready()` was given no module for the chosen one.
 */
export type EngineLoadFailure = 'not-installed' | 'not-provided' | 'import-failed' | 'bad-package' | 'factory-failed';

/**
 * An engine's package is missing or broken, or its factory failed (no GPU adapter, no driver).
 *
 * @example
 * try {
 *   await ready({ engine: 'cuda' });
 * } catch (e) {
 *   if (e instanceof EngineLoadError && e.reason === 'not-installed') await ready({ engine: 'cpu' });
 * }
 */
export class EngineLoadError extends StrataError {
  constructor(
    message: string,
    readonly engine: string,
    readonly packageName: string,
    readonly reason: EngineLoadFailure,
    cause?: unknown,
  ) {
    super(message);
    if (cause !== undefined) this.cause = cause;
  }
}
