import {
  gemmBlocked, gemmMacroKernel, gemmMicroKernel, gemmPackA, gemmPackB, gemmScratch, MR, NR,
} from './gemm-blocked.js';
import type { StridedMatrix } from './gemm-types.js';
import { gemmWorkerLoop } from './gemm-worker-loop.js';
import {
  AXIS_COLUMNS, AXIS_ROWS, CONTROL_READY, CONTROL_SIZE, CONTROL_STATE, JOB_A_COL_STRIDE, JOB_A_OFFSET,
  JOB_A_ROW_STRIDE, JOB_AXIS, JOB_B_COL_STRIDE, JOB_B_OFFSET, JOB_B_ROW_STRIDE, JOB_C_OFFSET, JOB_CHUNK_SIZE,
  JOB_CHUNKS, JOB_DATA_VERSION, JOB_K, JOB_M, JOB_N, JOB_NEXT_CHUNK, JOB_OWNERS, JOB_SIZE, MAX_CHUNKS,
  STATE_EXIT, STATE_FAILED, STATE_JOB,
} from './gemm-worker-protocol.js';

/** Products smaller than this many multiply-adds (~1 ms single-threaded) stay on one thread. */
const PARALLEL_WORK = 1 << 21;
/** Chunks handed out per thread, so a thread slowed by other load just takes fewer of them. */
const CHUNKS_PER_THREAD = 3;

/** The slice of a `node:worker_threads` Worker the pool uses. */
interface PoolWorker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error' | 'exit', listener: () => void): void;
  postMessage(message: unknown): void;
}

interface WorkerThreadsModule {
  Worker: new (source: string, options: { eval: true; execArgv: string[]; workerData: unknown }) => PoolWorker;
}

interface Pool {
  workers: { worker: PoolWorker; control: Int32Array; alive: boolean }[];
  job: Int32Array;
  data: Float32Array;
  version: number;
}

let pool: Pool | null | undefined;
const mainScratch = gemmScratch();
const stats = { parallelProducts: 0, workerChunks: 0 };

/**
 * Multiplies on the main thread plus the worker pool when the product is large enough and the
 * pool is up, adding `A B` into C (C's target region must already hold zeros or the values to
 * accumulate onto). Returns false, having done nothing, when the caller should stay on one thread.
 *
 * @example
 * if (!gemmParallel(m, n, k, a, b, c, 0, n)) gemmBlocked(m, n, k, a, b, c, 0, n, scratch);
 */
export function gemmParallel(
  m: number, n: number, k: number, a: StridedMatrix, b: StridedMatrix,
  c: Float32Array, cOffset: number, ldc: number,
): boolean {
  if (m * n * k < PARALLEL_WORK) return false;
  const p = ensurePool();
  if (p === null) return false;
  const ready = p.workers.filter((w) => w.alive && Atomics.load(w.control, CONTROL_READY) === 1);
  if (ready.length === 0) return false;

  const threads = ready.length + 1;
  const axis = m >= n ? AXIS_ROWS : AXIS_COLUMNS;
  const extent = axis === AXIS_ROWS ? m : n;
  const unit = axis === AXIS_ROWS ? MR : NR;
  const chunkSize = Math.ceil(Math.ceil(extent / (threads * CHUNKS_PER_THREAD)) / unit) * unit;
  const chunks = Math.ceil(extent / chunkSize);
  if (chunks < 2 || chunks > MAX_CHUNKS) return false;

  const aSpan = span(a, m, k), bSpan = span(b, k, n);
  const data = ensureData(p, aSpan + bSpan + m * n);
  data.set(a.data.subarray(a.offset, a.offset + aSpan), 0);
  data.set(b.data.subarray(b.offset, b.offset + bSpan), aSpan);

  const job = p.job;
  job[JOB_CHUNKS] = chunks;
  job[JOB_AXIS] = axis;
  job[JOB_CHUNK_SIZE] = chunkSize;
  job[JOB_M] = m;
  job[JOB_N] = n;
  job[JOB_K] = k;
  job[JOB_A_OFFSET] = 0;
  job[JOB_A_ROW_STRIDE] = a.rowStride;
  job[JOB_A_COL_STRIDE] = a.colStride;
  job[JOB_B_OFFSET] = aSpan;
  job[JOB_B_ROW_STRIDE] = b.rowStride;
  job[JOB_B_COL_STRIDE] = b.colStride;
  job[JOB_C_OFFSET] = aSpan + bSpan;
  job.fill(-1, JOB_OWNERS, JOB_OWNERS + chunks);
  Atomics.store(job, JOB_NEXT_CHUNK, 0);
  for (const w of ready) {
    Atomics.store(w.control, CONTROL_STATE, STATE_JOB);
    Atomics.notify(w.control, CONTROL_STATE);
  }

  const runChunk = (chunk: number) => {
    const start = chunk * chunkSize;
    if (axis === AXIS_ROWS) {
      const rows = Math.min(chunkSize, m - start);
      const aPart = { ...a, offset: a.offset + start * a.rowStride };
      gemmBlocked(rows, n, k, aPart, b, c, cOffset + start * ldc, ldc, mainScratch);
    } else {
      const cols = Math.min(chunkSize, n - start);
      const bPart = { ...b, offset: b.offset + start * b.colStride };
      gemmBlocked(m, cols, k, a, bPart, c, cOffset + start, ldc, mainScratch);
    }
  };
  for (let chunk = Atomics.add(job, JOB_NEXT_CHUNK, 1); chunk < chunks; chunk = Atomics.add(job, JOB_NEXT_CHUNK, 1)) {
    runChunk(chunk);
    job[JOB_OWNERS + chunk] = -2;
  }
  for (const w of ready) {
    while (Atomics.load(w.control, CONTROL_STATE) === STATE_JOB) Atomics.wait(w.control, CONTROL_STATE, STATE_JOB);
    // A worker that failed once is not trusted again; its unfinished chunks are redone below.
    if (Atomics.load(w.control, CONTROL_STATE) === STATE_FAILED) retire(w);
  }

  const cBase = aSpan + bSpan;
  for (let chunk = 0; chunk < chunks; chunk++) {
    const owner = Atomics.load(job, JOB_OWNERS + chunk);
    if (owner === -2) continue;
    if (owner === -1) {
      runChunk(chunk);
      continue;
    }
    addChunk(data, cBase, n, chunk * chunkSize, axis, chunkSize, m, c, cOffset, ldc);
    stats.workerChunks++;
  }
  stats.parallelProducts++;
  return true;
}

/**
 * Stops the GEMM workers (the engine's `close` calls this). Later products start a fresh pool.
 *
 * @example
 * shutdownGemmWorkers();
 */
export function shutdownGemmWorkers(): void {
  if (pool) {
    for (const w of pool.workers) retire(w);
  }
  pool = undefined;
}

/**
 * Counters of the parallel path since start: products split across threads, and chunks the
 * workers (rather than the main thread) computed. For tests and benches.
 *
 * @example
 * const { workerChunks } = gemmParallelStats();
 */
export function gemmParallelStats(): { parallelProducts: number; workerChunks: number } {
  return { ...stats };
}

/**
 * How many worker threads the pool runs (0 where there is no pool). Starts the pool if needed.
 *
 * @example
 * gemmWorkerCount(); // 1 on a 2-core machine
 */
export function gemmWorkerCount(): number {
  const p = ensurePool();
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
  const p = ensurePool();
  if (p === null) return false;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const live = p.workers.filter((w) => w.alive);
    if (live.length > 0 && live.every((w) => Atomics.load(w.control, CONTROL_READY) === 1)) return true;
    if (live.length === 0 || performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function retire(w: Pool['workers'][number]): void {
  if (!w.alive) return;
  w.alive = false;
  Atomics.store(w.control, CONTROL_STATE, STATE_EXIT);
  Atomics.notify(w.control, CONTROL_STATE);
  void w.worker.terminate();
}

/** Adds one worker-computed chunk of the compact `m x n` C in `data` into the caller's C. */
function addChunk(
  data: Float32Array, cBase: number, n: number, start: number, axis: number, chunkSize: number, m: number,
  c: Float32Array, cOffset: number, ldc: number,
): void {
  const rows = axis === AXIS_ROWS ? Math.min(chunkSize, m - start) : m;
  const cols = axis === AXIS_ROWS ? n : Math.min(chunkSize, n - start);
  const row0 = axis === AXIS_ROWS ? start : 0, col0 = axis === AXIS_ROWS ? 0 : start;
  for (let i = 0; i < rows; i++) {
    const src = cBase + (row0 + i) * n + col0;
    const dst = cOffset + (row0 + i) * ldc + col0;
    for (let j = 0; j < cols; j++) c[dst + j] += data[src + j]!;
  }
}

/** Elements from a matrix's first element to its last, inclusive (strides are non-negative). */
function span(x: StridedMatrix, rows: number, cols: number): number {
  return (rows - 1) * x.rowStride + (cols - 1) * x.colStride + 1;
}

/** The shared data buffer, grown (and re-sent to every worker) when a job needs more room. */
function ensureData(p: Pool, size: number): Float32Array {
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
 * The worker source: this module's kernel functions as text plus a call into the loop. Referenced
 * by their runtime names, so a bundler that renames them stays consistent. `__name` is the helper
 * esbuild's keepNames (used by tsx) may reference inside function bodies.
 */
function workerSource(): string {
  const shipped = [gemmMicroKernel, gemmPackA, gemmPackB, gemmMacroKernel, gemmBlocked, gemmScratch, gemmWorkerLoop];
  return [
    "'use strict';",
    'var __name = function (target) { return target; };',
    ...shipped.map((fn) => fn.toString()),
    `${gemmWorkerLoop.name}(require('node:worker_threads'), ${gemmBlocked.name}, ${gemmScratch.name}());`,
  ].join('\n');
}

/**
 * The pool, started on first use: `threads - 1` workers, unref'd so they never keep the process
 * alive. Null where worker threads are unavailable (no `process.getBuiltinModule`, a browser) or
 * only one thread is wanted.
 */
function ensurePool(): Pool | null {
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

