import type { DataId, Engine, EngineMemory } from '@strata/engine-api';
import { bytesPerElement, sizeOf } from '@strata/engine-api';
import { EngineStateError } from './util/errors.js';
import type { Tensor } from './tensor.js';

/** Where the active engine was chosen: the `ready()` argument, the env, a config file, or the default. */
export interface EngineSource {
  kind: 'argument' | 'env' | 'config' | 'default' | 'direct';
  /** The config file, when `kind` is `config`. */
  file?: string;
}

interface BufferRecord {
  refs: number;
  bytes: number;
}

/**
 * Process-wide state of core: the active engine, buffer refcounts and live-tensor counts, and the
 * scope stack used by `tidy`. One instance, held in `runtime`.
 */
class Runtime {
  private activeEngine: Engine | null = null;
  private activeSource: EngineSource = { kind: 'default' };
  private readonly buffers = new Map<DataId, BufferRecord>();
  /** Tensors alive right now (created and not disposed). */
  numTensors = 0;
  private numBytes = 0;
  private nextTensorId = 0;
  /** Open `tidy` scopes, innermost last; each tracks the tensors created inside it. */
  readonly scopes: Set<Tensor>[] = [];
  /** Seed for random ops, and the counter that gives each random call its own stream. */
  seed = 0;
  randomStream = 0;

  get engine(): Engine {
    if (!this.activeEngine) {
      throw new EngineStateError('No engine is active. Call `await ready()` (from "strata") before creating tensors, or `setEngine(engine)` from "@strata/core".');
    }
    return this.activeEngine;
  }

  get hasEngine(): boolean {
    return this.activeEngine !== null;
  }

  get source(): EngineSource {
    return this.activeSource;
  }

  /** Installs an engine. Refused while tensors are alive: their buffers belong to the old engine. */
  setEngine(engine: Engine, source: EngineSource): void {
    if (this.activeEngine === engine) {
      this.activeSource = source;
      return;
    }
    if (this.activeEngine && this.numTensors > 0) {
      throw new EngineStateError(
        `Cannot switch engine from "${this.activeEngine.name}" to "${engine.name}": ${this.numTensors} tensor(s) still live on "${this.activeEngine.name}". ` +
          'Choose the engine once, before creating tensors (in strata.config.json or `ready({ engine })`), or dispose every tensor first.',
      );
    }
    this.activeEngine?.close?.();
    this.activeEngine = engine;
    this.activeSource = source;
  }

  newTensorId(): number {
    return this.nextTensorId++;
  }

  /** Records one more holder of `dataId` (a new buffer, or a view sharing one). */
  retain(dataId: DataId, shapeSize: number, dtype: 'float32' | 'int32' | 'bool'): void {
    const rec = this.buffers.get(dataId);
    if (rec) {
      rec.refs++;
    } else {
      const bytes = shapeSize * bytesPerElement(dtype);
      this.buffers.set(dataId, { refs: 1, bytes });
      this.numBytes += bytes;
    }
  }

  /** How many tensor handles hold `dataId` now (0 for an unknown buffer). */
  refs(dataId: DataId): number {
    return this.buffers.get(dataId)?.refs ?? 0;
  }

  /** Drops one hold on `dataId`; frees the buffer when it was the last. */
  release(dataId: DataId): void {
    const rec = this.buffers.get(dataId);
    if (!rec) return;
    if (--rec.refs === 0) {
      this.buffers.delete(dataId);
      this.numBytes -= rec.bytes;
      this.engine.dispose(dataId);
    }
  }

  /** Registers a new tensor with the innermost open scope, so `tidy` can dispose it. */
  track(t: Tensor): void {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope) scope.add(t);
  }

  memory(): MemoryInfo {
    return {
      numTensors: this.numTensors,
      numDataBuffers: this.buffers.size,
      numBytes: this.numBytes,
      engine: this.activeEngine?.memory() ?? { numBuffers: 0, numBytes: 0 },
    };
  }
}

/** Live tensors and buffers, as `memory()` reports them. */
export interface MemoryInfo {
  /** Tensor handles alive (created, not disposed). */
  numTensors: number;
  /** Distinct buffers behind them (views such as `reshape` share one). */
  numDataBuffers: number;
  /** Bytes in those buffers. */
  numBytes: number;
  /** What the engine itself reports holding. */
  engine: EngineMemory;
}

/** The single runtime instance. */
export const runtime = new Runtime();

/**
 * Installs an engine directly (the `strata` package's `ready()` is the usual way).
 *
 * @example
 * import { CpuEngine } from '@strata/engine-cpu';
 * setEngine(new CpuEngine());
 */
export function setEngine(engine: Engine, source: EngineSource = { kind: 'direct' }): void {
  runtime.setEngine(engine, source);
}

/**
 * The active engine and where the choice came from.
 *
 * @example
 * activeEngine().engine.name; // 'cpu'
 */
export function activeEngine(): { engine: Engine; source: EngineSource } {
  return { engine: runtime.engine, source: runtime.source };
}

/**
 * True once an engine is installed.
 *
 * @example
 * if (!hasEngine()) await ready();
 */
export function hasEngine(): boolean {
  return runtime.hasEngine;
}

/**
 * Live tensor and buffer counts; tests compare them before and after work to find leaks.
 *
 * @example
 * const before = memory().numTensors;
 * tidy(() => add(a, b));
 * memory().numTensors === before; // true
 */
export function memory(): MemoryInfo {
  return runtime.memory();
}

/**
 * Sets the seed of every random op that is not given one, and restarts its stream counter, so the
 * same seed replays the same sequence of random tensors on every engine.
 *
 * @example
 * setSeed(42);
 */
export function setSeed(seed: number): void {
  runtime.seed = seed >>> 0;
  runtime.randomStream = 0;
}

/** Size helper re-exported for ops. */
export { sizeOf };

/**
 * The global seed random ops use when not given one.
 *
 * @example
 * setSeed(7); getSeed(); // 7
 */
export function getSeed(): number {
  return runtime.seed;
}
