import { gemmBlocked, gemmMacroKernel, gemmMicroKernel, gemmPackA, gemmPackB, gemmScratch, gemmWasmRun } from './gemm-blocked.js';
import { gemmWasm, gemmWasmInstantiate } from './gemm-wasm.js';
import { gemmWorkerLoop } from './gemm-worker-loop.js';
import { GEMM_WASM_BASE64, GEMM_WASM_RELAXED_BASE64 } from '../wasm/gemm-wasm.generated.js';
import { CONTROL_READY, CONTROL_SIZE, CONTROL_STATE, JOB_DATA_VERSION, JOB_SIZE, STATE_EXIT } from './gemm-worker-protocol.js';

/*
 * The GEMM worker pool: started on first use, `threads - 1` workers running `gemmWorkerLoop`,
 * unref'd so they never keep the process alive. The workers run source text built from the
 * kernel functions themselves, so the pool works the same from TypeScript sources (tsx) and from
 * a bundled build, ESM or CJS, with no worker file to locate.
 */

/** The slice of a `node:worker_threads` Worker the pool uses. */
interface PoolWorker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error' | 'exit', listener: () => void): void;
  postMessage(message: unknown): void;
}

/** The slice of `node:worker_threads` the pool uses. */
interface WorkerThreadsModule {
  Worker: new (source: string, options: { eval: true; execArgv: string[]; workerData: unknown }) => PoolWorker;
}

/** The workers with their control blocks, the shared job block and the shared data buffer. */
export interface Pool {
  workers: { worker: PoolWorker; control: Int32Array; alive: boolean }[];
  job: Int32Array;
  data: Float32Array;
  /** Bumped whenever `data` is replaced, so workers know to pick up the new buffer. */
  version: number;
}

let pool: Pool | null | undefined;

/**
 * Stops the GEMM workers and frees their shared buffer; meant for the engine's `close`. Later
 * products start a fresh pool.
 *
 * @example
 * shutdownGemmWorkers();
 */
export function shutdownGemmWorkers(): void {
  if (pool) {
    for (const w of pool.workers) retireGemmWorker(w);
  }
  pool = undefined;
}

/**
 * How many worker threads the pool runs (0 where there is no pool). Starts the pool if needed.
 *
 * @example
 * gemmWorkerCount(); // 1 on a 2-core machine
 */
export function gemmWorkerCount(): number {
  const p = gemmPool();
  return p === null ? 0 : p.workers.filter((w) => w.alive).length;
}

/**
 * Resolves once every live worker has started (or after `timeoutMs`), so tests and benches can
 * measure the parallel path from the first call.
 *
 * @example
 * await gemmWorkersReady();
 */
export async function gemmWorkersReady(timeoutMs = 5000): Promise<boolean> {
  const p = gemmPool();
  if (p === null) return false;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const live = p.workers.filter((w) => w.alive);
    if (live.length > 0 && live.every((w) => Atomics.load(w.control, CONTROL_READY) === 1)) return true;
    if (live.length === 0 || performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Takes a worker out of service for good: tells its loop to exit and terminates it.
 *
 * @example
 * retireGemmWorker(pool.workers[0]);
 */
export function retireGemmWorker(w: Pool['workers'][number]): void {
  if (!w.alive) return;
  w.alive = false;
  Atomics.store(w.control, CONTROL_STATE, STATE_EXIT);
  Atomics.notify(w.control, CONTROL_STATE);
  void w.worker.terminate();
}

/**
 * The shared data buffer with room for `size` floats, grown (and re-sent to every worker) when a
 * job needs more room.
 *
 * @example
 * const data = gemmSharedData(pool, aSpan + bSpan + m * n);
 */
export function gemmSharedData(p: Pool, size: number): Float32Array {
  if (p.data.length >= size) return p.data;
  const buffer = new SharedArrayBuffer(Math.max(size, p.data.length * 2) * 4);
  p.data = new Float32Array(buffer);
  p.version++;
  p.job[JOB_DATA_VERSION] = p.version;
  for (const w of p.workers) if (w.alive) w.worker.postMessage({ buffer, version: p.version });
  return p.data;
}

/** Threads to use: `STRATA_CPU_THREADS` if set, else the machine's parallelism (at most 8). */
function threadCount(os: { availableParallelism?: () => number; cpus(): unknown[] } | undefined): number {
  const env = globalThis.process?.env?.STRATA_CPU_THREADS;
  if (env !== undefined && env !== '') {
    const parsed = Number.parseInt(env, 10);
    if (Number.isFinite(parsed) && parsed >= 1) return Math.min(parsed, 16);
  }
  if (os === undefined) return 1;
  return Math.min(8, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
}

/**
 * The worker source: the blocked GEMM's functions and the worker loop as text, plus a call into
 * the loop. Functions are referenced by their runtime names, so a bundler that renames them stays
 * consistent. `__name` is the helper esbuild's keepNames (which tsx uses) may reference inside
 * function bodies.
 */
function workerSource(): string {
  const shipped: { name: string; toString(): string }[] = [
    gemmMicroKernel, gemmPackA, gemmPackB, gemmMacroKernel, gemmBlocked, gemmScratch, gemmWorkerLoop,
  ];
  // Where the main thread runs the WebAssembly kernel, each worker instantiates its own copy of
  // the module (falling back to the TS kernel if that fails there).
  const main = gemmWasm();
  const wasm = main !== null;
  if (wasm) shipped.push(gemmWasmInstantiate, gemmWasmRun);
  const blocked = wasm
    ? `(function () { var w = ${gemmWasmInstantiate.name}(${JSON.stringify(GEMM_WASM_BASE64)}, `
      + `${main.fma ? JSON.stringify(GEMM_WASM_RELAXED_BASE64) : 'undefined'}); `
      + `return w === null ? ${gemmBlocked.name} : function (m, n, k, a, b, c, co, ldc) { `
      + `${gemmWasmRun.name}(w, m, n, k, a, b, c, co, ldc); }; })()`
    : gemmBlocked.name;
  return [
    "'use strict';",
    'var __name = function (target) { return target; };',
    ...shipped.map((fn) => fn.toString()),
    `${gemmWorkerLoop.name}(require('node:worker_threads'), ${blocked}, ${gemmScratch.name}());`,
  ].join('\n');
}

/**
 * The running pool, starting it on first use; null where worker threads are unavailable (no
 * `process.getBuiltinModule`, a browser, a worker thread) or only one thread is wanted.
 *
 * @example
 * const pool = gemmPool();
 * if (pool !== null) pool.workers.length; // 1 on a 2-core machine
 */
export function gemmPool(): Pool | null {
  if (pool !== undefined) return pool;
  pool = null;
  const getBuiltin = (globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined)?.getBuiltinModule;
  if (typeof getBuiltin !== 'function') return pool;
  const threadsModule = getBuiltin('node:worker_threads') as (WorkerThreadsModule & { isMainThread: boolean }) | undefined;
  const os = getBuiltin('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
  // Only the main thread blocks on workers: a worker waiting on workers could starve the machine.
  if (threadsModule === undefined || !threadsModule.isMainThread) return pool;
  const workerCount = threadCount(os) - 1;
  if (workerCount < 1) return pool;
  const source = workerSource();
  const job = new Int32Array(new SharedArrayBuffer(JOB_SIZE * 4));
  const created: Pool = { workers: [], job, data: new Float32Array(0), version: 0 };
  for (let id = 0; id < workerCount; id++) {
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_SIZE * 4));
    try {
      // No execArgv: the source is plain JS, so loaders such as tsx would only slow the start.
      const worker = new threadsModule.Worker(source, { eval: true, execArgv: [], workerData: { control, job, id } });
      const entry = { worker, control, alive: true };
      worker.on('error', () => { entry.alive = false; });
      worker.on('exit', () => { entry.alive = false; });
      worker.unref();
      created.workers.push(entry);
    } catch {
      break;
    }
  }
  if (created.workers.length > 0) pool = created;
  return pool;
}

