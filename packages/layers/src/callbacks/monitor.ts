import { StrataError } from '@strata/core';

/** Whether a monitored quantity should go down (`'min'`) or up (`'max'`); `'auto'` infers it from the name. */
export type MonitorMode = 'auto' | 'min' | 'max';

const UP = /acc|auc|precision|recall|iou|f1|fbeta|r2|similarity/;
const DOWN = /error|mse|mae|mape|msle|crossentropy|hinge|divergence|kld|poisson|logcosh|huber/;

/**
 * The direction of a monitored log name in `'auto'` mode: `loss` and error-like metrics go down,
 * accuracy, AUC, precision, recall, IoU and similarity go up (Keras reads the metric's direction;
 * we read its name, which also covers `val_` and per-output prefixes). Null when the name says
 * neither.
 *
 * @example
 * monitorDirection('val_accuracy'); // 'max'
 * monitorDirection('out_1_loss');   // 'min'
 */
export function monitorDirection(monitor: string): 'min' | 'max' | null {
  const name = monitor.replace(/^val_/, '').toLowerCase();
  if (name === 'loss' || name.endsWith('_loss')) return 'min';
  if (UP.test(name)) return 'max';
  if (DOWN.test(name)) return 'min';
  return null;
}

/**
 * Checks a callback's `mode` option and resolves `'auto'`; with `required`, a name whose direction
 * cannot be inferred is an error (as in Keras) telling the user to pass `mode`.
 *
 * @example
 * resolveMode('EarlyStopping', 'val_accuracy', 'auto', true); // 'max'
 */
export function resolveMode(owner: string, monitor: string, mode: unknown, required: boolean): 'min' | 'max' {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
    throw new StrataError(`${owner}: option 'mode' must be 'auto', 'min' or 'max'; received ${JSON.stringify(mode)}. Pass mode: 'min' for losses, 'max' for accuracies.`);
  }
  if (mode !== 'auto') return mode;
  const direction = monitorDirection(monitor);
  if (direction) return direction;
  if (!required) return 'min';
  throw new StrataError(
    `${owner}: cannot tell whether monitor '${monitor}' should be minimized or maximized. Pass mode: 'max' to track its highest value, or mode: 'min' for its lowest.`,
  );
}

/**
 * Checks a callback's `monitor` option.
 *
 * @example
 * checkMonitor('EarlyStopping', options.monitor ?? 'val_loss');
 */
export function checkMonitor(owner: string, monitor: unknown): string {
  if (typeof monitor !== 'string' || monitor === '') {
    throw new StrataError(`${owner}: option 'monitor' must be the name of a logged quantity such as 'val_loss' or 'accuracy'; received ${JSON.stringify(monitor)}.`);
  }
  return monitor;
}

/**
 * Checks a numeric callback option (finite, within bounds, integer where asked), naming the owner,
 * the option, the rule and the received value.
 *
 * @example
 * const patience = checkOption('EarlyStopping', 'patience', options.patience ?? 0, { min: 0, integer: true });
 */
export function checkOption(owner: string, key: string, value: unknown, rule: { min?: number; max?: number; maxOpen?: boolean; integer?: boolean }): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) && (rule.max === undefined || (rule.maxOpen ? value < rule.max : value <= rule.max));
  if (!ok) {
    const what = rule.integer ? 'an integer' : 'a finite number';
    const bounds = [rule.min !== undefined ? `>= ${rule.min}` : '', rule.max !== undefined ? `${rule.maxOpen ? '<' : '<='} ${rule.max}` : ''].filter(Boolean).join(' and ');
    throw new StrataError(`${owner}: option '${key}' must be ${what}${bounds ? ` ${bounds}` : ''}; received ${typeof value === 'string' ? JSON.stringify(value) : String(value)}.`);
  }
  return value as number;
}

/**
 * Warns (once per callback and name) that a monitored quantity is missing from the logs, as Keras
 * does, listing the names there are.
 *
 * @example
 * warnMissing('EarlyStopping', 'val_loss', logs, warned);
 */
export function warnMissing(owner: string, monitor: string, logs: Record<string, number>, warned: Set<string>): void {
  if (warned.has(monitor)) return;
  warned.add(monitor);
  console.warn(`${owner}: conditioned on '${monitor}', which is not in the logs (available: ${Object.keys(logs).join(', ') || 'none'}). Pass validation data for val_ quantities, or monitor one of the available names.`);
}
