import { convert, type TensorLike } from './convert.js';
import { tidy, type TensorContainer } from './memory.js';
import { add } from './ops/binary.js';
import { castTo } from './ops/elementwise.js';
import { clone, onesLike, zerosLike } from './ops/creation.js';
import { runtime } from './runtime.js';
import { recordOnTapes, activeTapes, gradientOf, noRecord, Tape, type GradFn } from './tape.js';
import { Tensor, Variable } from './tensor.js';
import { StrataError, fmtShape } from './util/errors.js';
import { shapesEqual } from './util/shape.js';

/**
 * Runs `f` on a tape that watches `xs`, then backpropagates from its scalar-or-any-shape result
 * (seeded with `dy`, or ones). Returns the value and one gradient per watched tensor (zeros where
 * `f` does not depend on it). Everything else created on the way is freed.
 */
function backprop(f: () => Tensor, xs: readonly Tensor[], dy?: Tensor): { value: Tensor; grads: Tensor[] } {
  const tape = new Tape();
  for (const x of xs) tape.watched.add(x.id);
  // Ids grow monotonically: a tensor with a smaller id existed before `f` ran (an input, a variable,
  // dy). `f` may return one, and a gradient may be one; callers still get handles of their own.
  const firstNewId = runtime.newTensorId();
  activeTapes.push(tape);
  let value: Tensor;
  try {
    value = tidy(() => {
      const v: unknown = f();
      if (!(v instanceof Tensor)) {
        // Thrown inside tidy, so whatever `f` created (even inside what it returned) is freed.
        throw new StrataError(`gradient: the function must return a Tensor; it returned ${Array.isArray(v) ? 'an array' : typeof v}.`);
      }
      return v;
    });
  } catch (e) {
    tape.release();
    throw e;
  } finally {
    activeTapes.splice(activeTapes.indexOf(tape), 1);
  }
  const firstGradId = runtime.newTensorId();
  try {
    const grads = tidy(() => {
      const acc = new Map<number, Tensor>();
      if (dy && !shapesEqual(dy.shape, value.shape)) {
        throw new StrataError(`gradient: dy has shape ${fmtShape(dy.shape)} but the function's result has shape ${fmtShape(value.shape)}; they must match.`);
      }
      acc.set(value.id, dy ? castTo(dy, 'float32') : onesLike(castTo(value, 'float32')));
      for (let i = tape.entries.length - 1; i >= 0; i--) {
        const entry = tape.entries[i]!;
        if (!entry.outputIds.some((id) => acc.has(id))) continue;
        const fn: GradFn | undefined = entry.gradFn ?? gradientOf(entry.op);
        if (!fn) {
          throw new StrataError(`gradient: op '${entry.op}' is not differentiable, but the result depends on a watched tensor through it. Stop the gradient before it (e.g. with stopGradient) or use a differentiable op.`);
        }
        const dys = entry.outputs.map((o, k) => acc.get(entry.outputIds[k]!) ?? zerosLike(castTo(o, 'float32')));
        const inputGrads = noRecord(() => fn(dys, entry));
        entry.inputs.forEach((input, k) => {
          const g = inputGrads[k];
          const id = entry.inputIds[k]!;
          if (!g || !tape.watched.has(id) || input.dtype !== 'float32') return;
          if (!shapesEqual(g.shape, input.shape)) {
            throw new StrataError(`gradient of '${entry.op}': input ${k} has shape ${fmtShape(input.shape)} but its gradient has ${fmtShape(g.shape)} (a bug in that gradient).`);
          }
          const prev = acc.get(id);
          acc.set(id, prev ? add(prev, g) : g);
        });
      }
      // A gradient may be dy itself, a tape handle (freed below), or the same tensor as another
      // input's gradient (`add` passes dy to both): each result gets a handle of its own, so
      // disposing one never frees another or the caller's dy.
      const returned = new Set<Tensor>();
      return xs.map((x) => {
        const g = acc.get(x.id) ?? zerosLike(castTo(x, 'float32'));
        const own = g.id > firstGradId && !returned.has(g) ? g : clone(g);
        returned.add(own);
        return own;
      });
    });
    return { value: value.id < firstNewId ? clone(value) : value, grads };
  } catch (e) {
    if (value.id > firstNewId) value.dispose();
    throw e;
  } finally {
    tape.release();
  }
}

function toTensors(args: readonly TensorLike[], op: string): Tensor[] {
  return args.map((a, i) => convert(a, `args[${i}]`, op));
}

/**
 * Gradient of a one-argument function: `grad(f)(x, dy?)` is `d(sum(f(x) * dy))/dx`.
 *
 * @example
 * const g = grad((x) => square(x));
 * g(tensor([3])); // [6]
 */
export function grad(f: (x: Tensor) => Tensor): (x: TensorLike, dy?: TensorLike) => Tensor {
  return (x, dy) => {
    const { value, grad: g } = valueAndGrad(f)(x, dy);
    value.dispose();
    return g;
  };
}

/**
 * Gradients of a function of several tensors with respect to each of them.
 *
 * @example
 * const [da, db] = grads((a, b) => mul(a, b))([tensor([2]), tensor([5])]); // [5], [2]
 */
export function grads(f: (...args: Tensor[]) => Tensor): (args: readonly TensorLike[], dy?: TensorLike) => Tensor[] {
  return (args, dy) => {
    const { value, grads: g } = valueAndGrads(f)(args, dy);
    value.dispose();
    return g;
  };
}

/**
 * Like `grad`, also returning the function's value.
 *
 * @example
 * const { value, grad: g } = valueAndGrad((x) => sum(square(x)))(tensor([1, 2]));
 */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: TensorLike, dy?: TensorLike) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const { value, grads: g } = valueAndGrads((t) => f(t))([x], dy);
    return { value, grad: g[0]! };
  };
}

/**
 * Like `grads`, also returning the function's value.
 *
 * @example
 * const { value, grads: [da, db] } = valueAndGrads((a, b) => sum(mul(a, b)))([a, b]);
 */
export function valueAndGrads(f: (...args: Tensor[]) => Tensor): (args: readonly TensorLike[], dy?: TensorLike) => { value: Tensor; grads: Tensor[] } {
  return (args, dy) => {
    if (!Array.isArray(args)) throw new StrataError('valueAndGrads(f)(args): args must be an array of tensors.');
    const inputs = toTensors(args, 'valueAndGrads');
    const $dy = dy === undefined ? undefined : convert(dy, 'dy', 'valueAndGrads');
    try {
      const { value, grads: g } = backprop(() => f(...inputs), inputs, $dy);
      return { value, grads: g };
    } finally {
      inputs.forEach((t, i) => t !== args[i] && t.dispose());
      if ($dy && $dy !== dy) $dy.dispose();
    }
  };
}

/**
 * Value of `f` and its gradients with respect to variables: the given list, or every trainable
 * variable `f` uses. Gradients are keyed by variable name.
 *
 * @example
 * const w = variable(tensor([1, 2]));
 * const { value, grads: g } = variableGrads(() => sum(square(w))); // g[w.name] = [2, 4]
 */
export function variableGrads(f: () => Tensor, varList?: readonly Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
  const vars = varList ?? [...Variable.live].filter((v) => v.trainable);
  const { value, grads: g } = backprop(f, vars);
  const out: Record<string, Tensor> = {};
  vars.forEach((v, i) => (out[v.name] = g[i]!));
  return { value, grads: out };
}

/**
 * A mutable, trainable tensor initialised with a copy of `initial`'s value.
 *
 * @example
 * const w = variable(randomNormal([3, 3]), true, 'kernel');
 */
export function variable(initial: TensorLike, trainable = true, name?: string): Variable {
  const $init = convert(initial, 'initial', 'variable');
  if (name !== undefined && [...Variable.live].some((v) => v.name === name)) {
    throw new StrataError(`variable: a live variable is already named '${name}'. Give each variable a unique name, or dispose the old one.`);
  }
  const v = new Variable($init, trainable, name);
  if ($init !== initial) $init.dispose();
  return v;
}

/** What a custom-gradient function returns: its value and how to differentiate it. */
export interface CustomGradResult {
  value: Tensor;
  /** Gradients for each input, given the gradient of `value`. */
  gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
}

/**
 * Defines a function with its own gradient. `f` receives the inputs and a `save` function for
 * tensors the gradient needs.
 *
 * @example
 * const clippedIdentity = customGrad((x, save) => ({
 *   value: clone(x),
 *   gradFunc: (dy) => clip(dy, -1, 1),
 * }));
 */
// `any[]` so that both typed (`(x: Tensor, save: SaveFn) => ...`) and untyped lambdas are accepted,
// with or without the trailing `save` parameter.
export function customGrad(f: (...args: any[]) => CustomGradResult): (...inputs: TensorLike[]) => Tensor {
  return (...inputs) => {
    const $inputs = toTensors(inputs, 'customGrad');
    let saved: Tensor[] = [];
    // tidy frees the forward's intermediates; the result object is a plain one, so its value survives.
    const { value, gradFunc } = noRecord(() => tidy(() => {
      const r = f(...$inputs, (s: Tensor[]) => { saved = s.map((t) => t.view()); });
      return { value: r.value, gradFunc: r.gradFunc } as unknown as TensorContainer;
    })) as unknown as CustomGradResult;
    const gradFn: GradFn = (dys, record) => {
      const g = gradFunc(dys[0]!, [...record.saved]);
      const list = Array.isArray(g) ? g : [g];
      if (list.length !== $inputs.length) {
        throw new StrataError(`customGrad: gradFunc returned ${list.length} gradient(s) for ${$inputs.length} input(s).`);
      }
      return list;
    };
    recordOnTapes('customGrad', $inputs, [value], {}, gradFn, saved);
    for (const t of saved) t.dispose();
    $inputs.forEach((t, i) => t !== inputs[i] && t.dispose());
    return value;
  };
}

/**
 * The same values with no gradient flowing back through them.
 *
 * @example
 * const target = stopGradient(prediction);
 */
export function stopGradient(x: TensorLike): Tensor {
  const $x = convert(x, 'x', 'stopGradient');
  // A new handle made outside dispatch: no tape sees it, so gradients stop here.
  const y = new Tensor($x.dataId, $x.shape, $x.dtype);
  if ($x !== x) $x.dispose();
  return y;
}
