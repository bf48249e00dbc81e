import { StrataError, Tensor, Variable, add, reshape, tidy, type TensorLike } from '@strata/core';
import { NEG_INF, isEvenlyDistributed, parseThresholds, updateConfusionMatrix, type ConfusionVariables } from './confusion-matrix.js';
import { Metric, checkOptions, describeValue, divideNoNan } from './metric.js';

/** Options of `Precision` and `Recall`. */
export interface PrecisionRecallOptions {
  /**
   * A prediction is positive when strictly above the threshold. One number or a list in [0, 1]
   * (a list gives one result per threshold). Default 0.5, or, with `topK`, every top-k score.
   */
  thresholds?: number | readonly number[] | null;
  /** Only each row's k best scores can be positive (ties go to the lower index). */
  topK?: number | null;
  /** Score only this class (a column of `[batch, numClasses]` predictions). */
  classId?: number | null;
  /** Logged name. */
  name?: string;
}

function checkIndex(className: string, key: string, value: unknown, min: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new StrataError(`${className}: option '${key}' must be an integer >= ${min}; received ${describeValue(value)}. Leave it out to use every class.`);
  }
  return value;
}

/** The state and update shared by `Precision` and `Recall`. */
abstract class ThresholdedRate extends Metric {
  readonly thresholds: readonly number[];
  readonly topK: number | null;
  readonly classId: number | null;
  private readonly initThresholds: number | number[] | null;
  private readonly evenly: boolean;
  protected readonly truePositives: Variable;
  /** False positives for precision, false negatives for recall. */
  protected readonly misses: Variable;

  constructor(className: string, defaultName: string, options: PrecisionRecallOptions) {
    checkOptions(className, options, ['thresholds', 'topK', 'classId', 'name']);
    const topK = checkIndex(className, 'topK', options.topK, 1);
    const classId = checkIndex(className, 'classId', options.classId, 0);
    const thresholds = parseThresholds(className, options.thresholds, topK === null ? 0.5 : NEG_INF);
    super(options.name ?? defaultName);
    this.topK = topK;
    this.classId = classId;
    this.thresholds = thresholds;
    this.initThresholds = options.thresholds === undefined || options.thresholds === null ? null : typeof options.thresholds === 'number' ? options.thresholds : [...options.thresholds];
    this.evenly = isEvenlyDistributed(thresholds);
    this.truePositives = this.addVariable('true_positives', [thresholds.length]);
    this.misses = this.addVariable(this.missName(), [thresholds.length]);
  }

  protected abstract missName(): string;
  protected abstract missKey(): keyof ConfusionVariables;

  /**
   * Adds one batch's counts. Labels are positive where non-zero; `sampleWeight` is one weight per
   * sample or per prediction.
   *
   * @example
   * m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
   */
  override updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike | null): void {
    this.assertLive('updateState');
    tidy(() => {
      const vars: ConfusionVariables = { truePositives: this.truePositives, [this.missKey()]: this.misses };
      updateConfusionMatrix(this.label, vars, this.toFloat(yTrue, 'yTrue'), this.toFloat(yPred, 'yPred'), {
        thresholds: this.thresholds,
        evenlyDistributed: this.evenly,
        topK: this.topK,
        classId: this.classId,
        sampleWeight: sampleWeight === undefined || sampleWeight === null ? null : this.toFloat(sampleWeight, 'sampleWeight'),
      });
    });
  }

  /**
   * `tp / (tp + misses)` over everything seen (0 where nothing was counted): a scalar for one
   * threshold, one value per threshold otherwise.
   *
   * @example
   * await m.result().data();
   */
  override result(): Tensor {
    this.assertLive('result');
    return tidy(() => {
      const r = divideNoNan(this.truePositives, add(this.truePositives, this.misses));
      return this.thresholds.length === 1 ? reshape(r, []) : r;
    });
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, thresholds: this.initThresholds, topK: this.topK, classId: this.classId };
  }
}

/**
 * The fraction of positive predictions that are right, `tp / (tp + fp)`, with counts accumulated
 * over the epoch (Keras 3 `Precision`). With `topK`, only each row's k best scores can be positive;
 * with `classId`, one class of multi-class predictions is scored.
 *
 * @example
 * const m = new Precision();
 * m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
 * await m.result().data(); // [0.6666667]
 */
export class Precision extends ThresholdedRate {
  readonly className: string = 'Precision';

  constructor(options: PrecisionRecallOptions = {}) {
    super('Precision', 'precision', options);
  }

  protected missName(): string {
    return 'false_positives';
  }

  protected missKey(): keyof ConfusionVariables {
    return 'falsePositives';
  }
}

/**
 * The fraction of positive labels that are found, `tp / (tp + fn)`, with counts accumulated over
 * the epoch (Keras 3 `Recall`). Options as for `Precision`.
 *
 * @example
 * const m = new Recall();
 * m.updateState([0, 1, 1, 1], [1, 0, 1, 1]);
 * await m.result().data(); // [0.6666667]
 */
export class Recall extends ThresholdedRate {
  readonly className: string = 'Recall';

  constructor(options: PrecisionRecallOptions = {}) {
    super('Recall', 'recall', options);
  }

  protected missName(): string {
    return 'false_negatives';
  }

  protected missKey(): keyof ConfusionVariables {
    return 'falseNegatives';
  }
}
