import { StrataError, Tensor, Variable, clone, fill, fmtShape, mul, sub, tensor, tidy, variable } from '@strata/core';
import type { Serializable } from '../registry.js';
import { checkName, checkOptionalNumber, describeValue } from './check.js';
import { clipGradientByNorm, clipGradientsByGlobalNorm, clipGradientsByValue } from './clipping.js';
import { LearningRateSchedule } from './schedules/learning-rate-schedule.js';

/** Options every optimizer takes (Keras 3's base optimizer arguments, camelCase). */
export interface OptimizerOptions {
  /** A fixed rate, or a schedule evaluated at each step. Must be >= 0. */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: before each update, `w -= w * weightDecay * learningRate`. */
  weightDecay?: number | null;
  /** Clip each gradient so that its own L2 norm is at most this. */
  clipnorm?: number | null;
  /** Clip each gradient element to `[-clipvalue, clipvalue]`. */
  clipvalue?: number | null;
  /** Clip all gradients together so that their global L2 norm is at most this. Exclusive with `clipnorm`. */
  globalClipnorm?: number | null;
  /** Prefix of the slot variables' names. Defaults to Keras's name for the class (`'adam'`, `'SGD'`). */
  name?: string;
}

/** One variable and the gradient of the loss with respect to it. */
export interface GradientPair {
  readonly variable: Variable;
  readonly gradient: Tensor;
}

/** A per-variable state tensor an optimizer keeps (Keras's "optimizer variables"). */
export interface SlotSpec {
  /** Keras's slot name: `momentum`, `velocity`, ... */
  readonly name: string;
  /** The value every element starts at. */
  readonly initialValue: number;
}

/** The slot variables of one trained variable, by slot name. */
export type Slots = Readonly<Record<string, Variable>>;

/** Which variables skip weight decay (Keras's `exclude_from_weight_decay`). */
export interface WeightDecayExclusions {
  /** These variables are never decayed. */
  varList?: readonly Variable[];
  /** A variable whose name matches any of these (as regular expressions, like Keras) is not decayed. */
  varNames?: readonly string[];
}

/**
 * Base class of every optimizer: Keras 3's `Optimizer` semantics, engine-agnostic. Each call to
 * `applyGradients` clips the gradients (`clipvalue`, then `clipnorm` per gradient, then
 * `globalClipnorm` over all of them; Keras 3 accepts only one of the three, Strata also accepts
 * `clipvalue` with one of the norms), applies decoupled weight decay if set, runs the subclass's
 * update with the learning rate `schedule(iterations)` (or the fixed rate), and then increments
 * `iterations`. Per-variable state ("slots") is created on first use as non-trainable variables.
 * All tensor work runs in one `tidy`, with no host reads, so a step frees everything it creates.
 *
 * Subclasses set a static `className`, and implement `slotSpecs` and `updateStep`;
 * hyperparameters are read-only after construction, so the slot layout never changes.
 *
 * @example
 * const w = variable(tensor([1, 2]));
 * const opt = optimizers.adam({ learningRate: 0.01 });
 * const { grads } = variableGrads(() => sum(square(w)), [w]);
 * opt.applyGradients([{ variable: w, gradient: grads[w.name]! }]);
 * opt.iterations; // 1
 */
export abstract class Optimizer implements Serializable {
  /** The Keras class name (`'Adam'`), from the subclass's static `className`. */
  readonly className: string;
  readonly name: string;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;

  private rate: number | LearningRateSchedule;
  private steps = 0;
  private readonly slots = new Map<Variable, Slots>();
  private readonly excludedVariables = new Set<Variable>();
  private excludedNames: RegExp | null = null;
  private disposed = false;

  /**
   * @param defaults the subclass's Keras defaults for the learning rate and the name.
   * @param options what the user passed.
   */
  protected constructor(defaults: { learningRate: number; name: string }, options: OptimizerOptions) {
    // Subclasses name themselves with a static `className` (Keras's class name); a custom subclass
    // without one falls back to its JavaScript class name.
    this.className = (new.target as unknown as { className?: string }).className ?? new.target.name;
    const o = options ?? {};
    if (typeof o !== 'object') {
      throw new StrataError(`${this.className}: options must be an object; received ${describeValue(o)}. Pass e.g. { learningRate: ${defaults.learningRate} }.`);
    }
    this.rate = this.checkLearningRate(o.learningRate ?? defaults.learningRate);
    this.name = checkName(this.className, o.name ?? defaults.name);
    this.weightDecay = checkOptionalNumber(this.className, 'weightDecay', o.weightDecay, { min: 0 }, 0.004);
    this.clipnorm = checkOptionalNumber(this.className, 'clipnorm', o.clipnorm, { min: 0, minOpen: true }, 1);
    this.clipvalue = checkOptionalNumber(this.className, 'clipvalue', o.clipvalue, { min: 0, minOpen: true }, 0.5);
    this.globalClipnorm = checkOptionalNumber(this.className, 'globalClipnorm', o.globalClipnorm, { min: 0, minOpen: true }, 1);
    if (this.clipnorm !== null && this.globalClipnorm !== null) {
      throw new StrataError(
        `${this.className}: options 'clipnorm' and 'globalClipnorm' cannot both be set; received clipnorm ${this.clipnorm} and globalClipnorm ${this.globalClipnorm}. Keep one: clipnorm limits each gradient's norm, globalClipnorm the norm of all gradients together.`,
      );
    }
  }

  /** The state this optimizer keeps per variable, in the order `getWeights` lists it. */
  protected abstract slotSpecs(): readonly SlotSpec[];

  /**
   * Updates `variable` (and its slots) in place, with core's `optimizerUpdate` (the engine's fused
   * kernel where it has one) or with `variable.assign`. Runs inside the step's
   * `tidy`; `step` is Keras's `local_step`, `iterations + 1`.
   */
  protected abstract updateStep(variable: Variable, gradient: Tensor, learningRate: number, slots: Slots, step: number): void;

  /** Updates applied so far (Keras's `optimizer.iterations`); schedules see it as the step. */
  get iterations(): number {
    return this.steps;
  }

  /**
   * The learning rate option: a number or a schedule. Setting it (to either) takes effect at the
   * next step; unlike Keras, a schedule may be replaced by a fixed rate.
   */
  get learningRate(): number | LearningRateSchedule {
    return this.rate;
  }

  set learningRate(value: number | LearningRateSchedule) {
    this.rate = this.checkLearningRate(value);
  }

  /**
   * The rate the next update will use: `schedule.call(iterations)`, or the fixed rate.
   *
   * @example
   * optimizers.sgd({ learningRate: schedules.exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5 }) }).currentLearningRate; // 1
   */
  get currentLearningRate(): number {
    if (typeof this.rate === 'number') return this.rate;
    const value = this.rate.call(this.steps);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new StrataError(
        `${this.className}: its learning rate schedule (${this.rate.className}) returned ${describeValue(value)} at step ${this.steps}; a learning rate must be a finite number >= 0. Fix the schedule's options (${JSON.stringify(this.rate.getConfig())}).`,
      );
    }
    return value;
  }

  /**
   * Applies one update to each variable from its gradient, then increments `iterations`. Synchronous:
   * it only queues engine work. An empty list does nothing (as in Keras).
   *
   * @example
   * opt.applyGradients([{ variable: w, gradient: g }]);
   */
  applyGradients(pairs: readonly GradientPair[]): void {
    this.assertUsable('applyGradients');
    if (!Array.isArray(pairs as unknown)) {
      throw new StrataError(`${this.className}.applyGradients: expected an array of { variable, gradient } pairs; received ${describeValue(pairs)}. Pass e.g. [{ variable: w, gradient: grads[w.name] }].`);
    }
    if (pairs.length === 0) return;
    const seen = new Set<Variable>();
    pairs.forEach((pair, i) => {
      this.checkPair(pair, i);
      if (seen.has(pair.variable)) {
        throw new StrataError(`${this.className}.applyGradients: variable '${pair.variable.name}' appears more than once (again at pairs[${i}]). Add its gradients together and pass it once.`);
      }
      seen.add(pair.variable);
    });
    const learningRate = this.currentLearningRate;
    const step = this.steps + 1;
    tidy(() => {
      const slots = pairs.map((p) => this.slotsFor(p.variable));
      const grads = this.clipGradients(pairs.map((p) => p.gradient));
      if (this.weightDecay !== null && this.weightDecay > 0) {
        const factor = this.weightDecay * learningRate;
        for (const { variable: v } of pairs) if (this.usesWeightDecay(v)) v.assign(sub(v, mul(v, factor)));
      }
      pairs.forEach((p, i) => this.updateStep(p.variable, grads[i]!, learningRate, slots[i]!, step));
    });
    this.steps++;
  }

  /**
   * Creates the slots of `variables` now, in this order, instead of at their first update. Needed
   * before `setWeights` on a fresh optimizer, so that the restored slots have somewhere to go.
   *
   * @example
   * const opt = optimizers.adam();
   * opt.build(model.trainableWeights);
   * await opt.setWeights(savedOptimizerWeights);
   */
  build(variables: readonly Variable[]): void {
    this.assertUsable('build');
    variables.forEach((v, i) => {
      if (!(v instanceof Variable) || v.isDisposed) {
        throw new StrataError(`${this.className}.build: variables[${i}] must be a live Variable; received ${v instanceof Variable ? `disposed variable '${v.name}'` : describeValue(v)}. Pass the model's trainable variables.`);
      }
    });
    tidy(() => {
      for (const v of variables) this.slotsFor(v);
    });
  }

  /**
   * Excludes variables from weight decay, by identity or by name pattern (Keras's
   * `exclude_from_weight_decay`); later calls replace earlier ones.
   *
   * @example
   * optimizers.adamw().excludeFromWeightDecay({ varNames: ['bias', 'gamma', 'beta'] });
   */
  excludeFromWeightDecay(exclusions: WeightDecayExclusions): void {
    this.excludedVariables.clear();
    for (const v of exclusions.varList ?? []) this.excludedVariables.add(v);
    const names = [...new Set(exclusions.varNames ?? [])];
    this.excludedNames = names.length > 0 ? new RegExp(names.join('|')) : null;
  }

  /**
   * The slot `slotName` of `variable`, if the optimizer has created it.
   *
   * @example
   * opt.getSlot(w, 'momentum');
   */
  getSlot(variable: Variable, slotName: string): Variable | undefined {
    return this.slots.get(variable)?.[slotName];
  }

  /**
   * The names of the slots this optimizer keeps for each variable, in `getWeights` order (Keras's
   * names). Saved models name optimizer state after them.
   *
   * @example
   * optimizers.adam().slotNames(); // ['momentum', 'velocity']
   */
  slotNames(): string[] {
    return this.slotSpecs().map((s) => s.name);
  }

  /**
   * The optimizer's state as new tensors the caller owns: `iterations` as an int32 scalar first,
   * then each slot, by variable in order of first use (or `build`), and per variable in the
   * order of `slotSpecs` (e.g. Adam: `momentum`, `velocity`, `velocity_hat`).
   *
   * @example
   * const state = opt.getWeights(); // [iterations, w1 momentum, w1 velocity, w2 momentum, ...]
   */
  getWeights(): Tensor[] {
    this.assertUsable('getWeights');
    const specs = this.slotSpecs();
    const out: Tensor[] = [tensor(this.steps, [], 'int32')];
    for (const slots of this.slots.values()) for (const spec of specs) out.push(clone(slots[spec.name]!));
    return out;
  }

  /**
   * Names for `getWeights`' tensors, in the same order: `'iterations'`, then each slot variable's name.
   *
   * @example
   * opt.getWeightNames(); // ['iterations', 'adam/kernel_momentum', 'adam/kernel_velocity']
   */
  getWeightNames(): string[] {
    const specs = this.slotSpecs();
    const out = ['iterations'];
    for (const slots of this.slots.values()) for (const spec of specs) out.push(slots[spec.name]!.name);
    return out;
  }

  /**
   * Restores state saved by `getWeights`, so that training resumes exactly. The optimizer must have
   * the same slots: build it on the same variables in the same order first (`build`, or one
   * update). Asynchronous because `iterations` drives host-side schedules and must be read back.
   * Nothing changes if any tensor is rejected.
   *
   * @example
   * const restored = optimizers.adam();
   * restored.build([w]);
   * await restored.setWeights(opt.getWeights());
   */
  async setWeights(weights: readonly Tensor[]): Promise<void> {
    this.assertUsable('setWeights');
    const where = `${this.className}.setWeights`;
    if (!Array.isArray(weights as unknown)) {
      throw new StrataError(`${where}: expected an array of tensors from getWeights(); received ${describeValue(weights)}. Pass the array optimizer.getWeights() returned.`);
    }
    const targets = [...this.slots.values()].flatMap((slots) => this.slotSpecs().map((spec) => slots[spec.name]!));
    if (weights.length !== targets.length + 1) {
      throw new StrataError(
        `${where}: expected ${targets.length + 1} tensors (iterations, then ${targets.length} slots for the ${this.slots.size} variables this optimizer has seen); received ${weights.length}. Build this optimizer on the same variables, in the same order, as the one the weights came from (optimizer.build(variables)) before setWeights.`,
      );
    }
    weights.forEach((w, i) => {
      if (!(w instanceof Tensor) || w.isDisposed) {
        throw new StrataError(`${where}: weights[${i}] must be a live tensor; received ${w instanceof Tensor ? 'a disposed tensor' : describeValue(w)}. Pass the tensors getWeights() returned, before disposing them.`);
      }
    });
    const iterations = weights[0]!;
    if (iterations.size !== 1) {
      throw new StrataError(`${where}: weights[0] must be the iterations scalar; received shape ${fmtShape(iterations.shape)}. Pass getWeights()'s array unchanged, iterations first.`);
    }
    targets.forEach((slot, i) => {
      const w = weights[i + 1]!;
      if (w.dtype !== slot.dtype || w.shape.length !== slot.shape.length || w.shape.some((d, k) => d !== slot.shape[k])) {
        throw new StrataError(
          `${where}: weights[${i + 1}] is for slot '${slot.name}' of shape ${fmtShape(slot.shape)} (${slot.dtype}); received shape ${fmtShape(w.shape)} (${w.dtype}). Build this optimizer on the same variables, in the same order, as the one the weights came from.`,
        );
      }
    });
    const steps = (await iterations.data())[0]!;
    if (!Number.isInteger(steps) || steps < 0) {
      throw new StrataError(`${where}: weights[0] (iterations) must hold a non-negative integer; received ${steps}. Pass getWeights()'s array unchanged, iterations first.`);
    }
    this.assertUsable('setWeights');
    targets.forEach((slot, i) => {
      if (slot.isDisposed) {
        throw new StrataError(`${where}: slot '${slot.name}' was disposed while the iterations were being read. Do not dispose the optimizer during setWeights.`);
      }
      slot.assign(weights[i + 1]!);
    });
    this.steps = steps;
  }

  /**
   * Frees the slot variables. The optimizer cannot be used afterwards.
   *
   * @example
   * opt.dispose();
   */
  dispose(): void {
    if (this.disposed) return;
    for (const slots of this.slots.values()) for (const v of Object.values(slots)) v.dispose();
    this.slots.clear();
    this.disposed = true;
  }

  /** Keras's `{ name, learningRate, weightDecay, clipnorm, globalClipnorm, clipvalue }`; a schedule is `{ className, config }`. */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learningRate: typeof this.rate === 'number' ? this.rate : { className: this.rate.className, config: this.rate.getConfig() },
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm,
      globalClipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
    };
  }

  private clipGradients(grads: Tensor[]): Tensor[] {
    let out = grads;
    if (this.clipvalue !== null) out = clipGradientsByValue(out, this.clipvalue);
    if (this.clipnorm !== null) out = out.map((g) => clipGradientByNorm(g, this.clipnorm!));
    if (this.globalClipnorm !== null) out = clipGradientsByGlobalNorm(out, this.globalClipnorm);
    return out;
  }

  private usesWeightDecay(v: Variable): boolean {
    if (this.excludedVariables.has(v)) return false;
    return this.excludedNames === null || !this.excludedNames.test(v.name);
  }

  /** The slots of `v`, created (zeros or the spec's initial value) on first use. */
  private slotsFor(v: Variable): Slots {
    const existing = this.slots.get(v);
    if (existing) return existing;
    const created: Record<string, Variable> = {};
    for (const spec of this.slotSpecs()) {
      created[spec.name] = variable(fill(v.shape, spec.initialValue, v.dtype), false, uniqueVariableName(`${this.name}/${v.name.replace(/\//g, '_')}_${spec.name}`));
    }
    this.slots.set(v, created);
    return created;
  }

  private checkPair(pair: GradientPair, i: number): void {
    const where = `${this.className}.applyGradients`;
    if (pair === null || typeof pair !== 'object') {
      throw new StrataError(`${where}: pairs[${i}] must be a { variable, gradient } object; received ${describeValue(pair)}. Pass e.g. { variable: w, gradient: grads[w.name] }.`);
    }
    const { variable: v, gradient: g } = pair;
    if (!(v instanceof Variable) || v.isDisposed) {
      throw new StrataError(`${where}: pairs[${i}].variable must be a live Variable; received ${v instanceof Variable ? `disposed variable '${v.name}'` : describeValue(v)}. Pass the variables being trained (e.g. model.trainableWeights).`);
    }
    if (v.dtype !== 'float32') {
      throw new StrataError(`${where}: variable '${v.name}' has dtype ${v.dtype}; optimizers update float32 variables only. Mark it non-trainable, or create it as float32.`);
    }
    if (!(g instanceof Tensor) || g.isDisposed) {
      throw new StrataError(`${where}: the gradient for variable '${v.name}' (pairs[${i}].gradient) must be a live tensor; received ${g instanceof Tensor ? 'a disposed tensor' : describeValue(g)}. Pass the gradient variableGrads returned for it.`);
    }
    if (g.dtype !== 'float32' || g.shape.length !== v.shape.length || g.shape.some((d, k) => d !== v.shape[k])) {
      throw new StrataError(
        `${where}: the gradient for variable '${v.name}' must match its shape ${fmtShape(v.shape)} and dtype float32; received shape ${fmtShape(g.shape)} and dtype ${g.dtype}. Pair each variable with its own gradient.`,
      );
    }
  }

  private checkLearningRate(value: unknown): number | LearningRateSchedule {
    if (value instanceof LearningRateSchedule) return value;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    throw new StrataError(
      `${this.className}: option 'learningRate' must be a finite number >= 0 or a LearningRateSchedule; received ${describeValue(value)}. Pass a rate such as learningRate: 0.001, or a schedule such as schedules.exponentialDecay({...}).`,
    );
  }

  private assertUsable(method: string): void {
    if (this.disposed) {
      throw new StrataError(`${this.className}.${method}: optimizer '${this.name}' was disposed, and its slots with it. Create a new optimizer to keep training.`);
    }
  }
}

/** Slot names follow Keras (`adam/dense_kernel_momentum`); a suffix keeps two optimizers on one variable apart. */
function uniqueVariableName(base: string): string {
  const taken = new Set([...Variable.live].map((v) => v.name));
  if (!taken.has(base)) return base;
  let n = 1;
  while (taken.has(`${base}_${n}`)) n++;
  return `${base}_${n}`;
}
