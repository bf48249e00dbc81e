import { StrataError } from '@strata/core';

/** Where in a saved file a problem is, and how to fix it. */
export interface SavedModelErrorDetails {
  /** The place inside the file: a key path (`modelTopology.config.layers[2].config.units`), a layer or a weight name. */
  where?: string;
  /** What the user can do about it. */
  fix?: string;
  /** The underlying error, if any (an fs error, a layer's own error). */
  cause?: unknown;
}

/**
 * A saved model or weights file that cannot be read: missing, not JSON, the wrong schema, an
 * unknown layer, a weight of the wrong shape or size, a truncated weights file. The message names
 * the file, the place in it, the problem and the fix:
 * `model.json: weightsManifest[0].weights[1].shape: expected a list of non-negative integers, received [-1, 3]. Re-save the model.`
 *
 * @example
 * throw new SavedModelError('/tmp/m/model.json', 'expected a JSON object, received a list', { where: 'modelTopology', fix: 'Re-save the model.' });
 */
export class SavedModelError extends StrataError {
  /** The file the problem is in (as the caller named it). */
  readonly file: string;
  /** What is wrong, without the file name. */
  readonly problem: string;
  /** The key path, layer or weight the problem is at, if known. */
  readonly where: string | undefined;
  /** What to do about it, if known. */
  readonly fix: string | undefined;
  override readonly cause: unknown;

  constructor(file: string, problem: string, details: SavedModelErrorDetails = {}) {
    const fix = details.fix ? ` ${details.fix}` : '';
    super(`${file}: ${details.where ? `${details.where}: ` : ''}${problem}${/[.!?]$/.test(problem) ? '' : '.'}${fix}`);
    this.file = file;
    this.problem = problem;
    this.where = details.where;
    this.fix = details.fix;
    this.cause = details.cause;
  }
}
