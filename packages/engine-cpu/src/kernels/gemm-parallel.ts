import { gemmBlocked, gemmScratch, MR, NR } from './gemm-blocked.js';
import type { StridedMatrix } from './gemm-types.js';
import { gemmWasm, gemmWasmRun } from './gemm-wasm.js';
import { gemmPool, gemmSharedData, retireGemmWorker } from './gemm-worker-pool.js';
import {
  AXIS_COLUMNS, AXIS_ROWS, CONTROL_READY, CONTROL_STATE, JOB_A_COL_STRIDE, JOB_A_OFFSET, JOB_A_ROW_STRIDE,
  JOB_AXIS, JOB_B_COL_STRIDE, JOB_B_OFFSET, JOB_B_ROW_STRIDE, JOB_C_OFFSET, JOB_CHUNK_SIZE, JOB_CHUNKS, JOB_K,
  JOB_M, JOB_N, JOB_NEXT_CHUNK, JOB_OWNERS, MAX_CHUNKS, STATE_FAILED, STATE_JOB,
} from './gemm-worker-protocol.js';

/** Products smaller than this many multiply-adds (~1 ms single-threaded) stay on one thread. */
const PARALLEL_WORK = 1 << 21;
/** Chunks handed out per thread, so a thread slowed by other load just takes fewer of them. */
const CHUNKS_PER_THREAD = 3;
/**
 * Largest shared copy (A, B and the workers' C, in floats) the pool will hold: 256 MiB. Bigger
 * products run on one thread rather than double their memory.
 */
const MAX_SHARED_FLOATS = 1 << 26;

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
  const p = gemmPool();
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
  if (aSpan + bSpan + m * n > MAX_SHARED_FLOATS) return false;
  const data = gemmSharedData(p, aSpan + bSpan + m * n);
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

  const wasm = gemmWasm();
  const blocked = (
    mm: number, nn: number, aa: StridedMatrix, bb: StridedMatrix, co: number,
  ) => {
    if (wasm !== null) gemmWasmRun(wasm, mm, nn, k, aa, bb, c, co, ldc);
    else gemmBlocked(mm, nn, k, aa, bb, c, co, ldc, mainScratch);
  };
  const runChunk = (chunk: number) => {
    const start = chunk * chunkSize;
    if (axis === AXIS_ROWS) {
      const rows = Math.min(chunkSize, m - start);
      const aPart = { ...a, offset: a.offset + start * a.rowStride };
      blocked(rows, n, aPart, b, cOffset + start * ldc);
    } else {
      const cols = Math.min(chunkSize, n - start);
      const bPart = { ...b, offset: b.offset + start * b.colStride };
      blocked(m, cols, a, bPart, cOffset + start);
    }
  };
  try {
    for (let chunk = Atomics.add(job, JOB_NEXT_CHUNK, 1); chunk < chunks; chunk = Atomics.add(job, JOB_NEXT_CHUNK, 1)) {
      runChunk(chunk);
      job[JOB_OWNERS + chunk] = -2;
    }
  } finally {
    // Even if the main thread's share threw, the workers must be idle before the job block and
    // the shared buffer are reused.
    for (const w of ready) {
      while (Atomics.load(w.control, CONTROL_STATE) === STATE_JOB) Atomics.wait(w.control, CONTROL_STATE, STATE_JOB);
      // A worker that failed once is not trusted again; its unfinished chunks are redone below.
      if (Atomics.load(w.control, CONTROL_STATE) === STATE_FAILED) retireGemmWorker(w);
    }
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
 * Counters of the parallel path since start: products split across threads, and chunks the
 * workers (rather than the main thread) computed. For tests and benches.
 *
 * @example
 * const { workerChunks } = gemmParallelStats();
 */
export function gemmParallelStats(): { parallelProducts: number; workerChunks: number } {
  return { ...stats };
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

