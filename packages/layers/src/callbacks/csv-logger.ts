import { StrataError } from '@strata/core';
import type { Logs } from '../training/types.js';
import { Callback } from './callback.js';
import { pyFloat } from './format.js';
import { nodeFiles } from './node-files.js';

/** Options of `callbacks.csvLogger`. */
export interface CSVLoggerArgs {
  /** The CSV file to write (Node only). */
  filename: string;
  /** Column separator (default `','`). */
  separator?: string;
  /** Append to an existing file instead of overwriting it (default false). */
  append?: boolean;
}

function quote(field: string, separator: string): string {
  return field.includes(separator) || /["\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/**
 * Streams each epoch's logs to a CSV file (Keras `CSVLogger`): a header `epoch,<sorted log keys>`
 * (plus the `val_` names the run will log, so columns stay fixed when validation runs only every
 * few epochs), then one row per epoch with values as Python writes floats and `NA` where a value
 * is missing. With `append`, the header is written only when the file is new or empty. Rows end
 * with `\n`. Node only.
 *
 * @example
 * await model.fit(x, y, { epochs: 10, callbacks: [callbacks.csvLogger({ filename: 'training.csv' })] });
 * // epoch,accuracy,loss
 * // 0,0.5,0.6931471824645996
 */
export class CSVLogger extends Callback {
  static readonly className = 'CSVLogger';
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(args: CSVLoggerArgs) {
    super();
    if (!args || typeof args.filename !== 'string' || args.filename === '') {
      throw new StrataError(`CSVLogger: option 'filename' must be a non-empty file path; received ${JSON.stringify(args?.filename)}. Pass e.g. { filename: 'training.csv' }.`);
    }
    const separator = args.separator ?? ',';
    if (typeof separator !== 'string' || separator.length !== 1 || separator === '"' || separator === '\n' || separator === '\r') {
      throw new StrataError(`CSVLogger: option 'separator' must be one character other than a quote or a line break; received ${JSON.stringify(separator)}. Pass e.g. separator: ';'.`);
    }
    this.filename = args.filename;
    this.separator = separator;
    this.append = args.append ?? false;
  }

  override async onTrainBegin(): Promise<void> {
    const { fs } = await nodeFiles('CSVLogger');
    this.keys = null;
    this.writeHeader = true;
    if (this.append) {
      const existing = await fs.readFile(this.filename, 'utf8').catch(() => '');
      this.writeHeader = existing.length === 0;
    } else {
      await fs.writeFile(this.filename, '');
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const { fs } = await nodeFiles('CSVLogger');
    let text = '';
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      for (const name of this.params.metrics ?? []) if (name.startsWith('val_') && !this.keys.includes(name)) this.keys.push(name);
    }
    if (this.writeHeader) {
      text += `${['epoch', ...this.keys].map((k) => quote(k, this.separator)).join(this.separator)}\n`;
      this.writeHeader = false;
    }
    const row = [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : pyFloat(logs[k]!)))];
    text += `${row.join(this.separator)}\n`;
    await fs.appendFile(this.filename, text);
  }
}
