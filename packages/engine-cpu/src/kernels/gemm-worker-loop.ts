import type { GemmScratch, gemmBlocked } from './gemm-blocked.js';
import type { StridedMatrix } from './gemm-types.js';

/** The parts of `node:worker_threads` a GEMM worker uses. */
export interface GemmWorkerThreads {
  readonly workerData: { control: Int32Array; job: Int32Array; id: number };
  readonly parentPort: unknown;
  receiveMessageOnPort(port: unknown): { message: unknown } | undefined;
}

/**
 * The body of a GEMM worker: waits for jobs on its control block, claims chunks of C from the
 * shared job counter until none are left, computes each into the shared data buffer, records
 * itself as the chunk's owner, and reports done (or failed, so the main thread redoes the rest).
 *
 * Shipped to the worker as source text, so it references only its parameters and JS globals; the
 * slot numbers are literals here and named in `gemm-worker-protocol.ts`.
 *
 * @example
 * // inside the worker's source:
 * gemmWorkerLoop(require('node:worker_threads'), gemmBlocked, gemmScratch());
 */
export function gemmWorkerLoop(
  threads: GemmWorkerThreads, blocked: typeof gemmBlocked, scratch: GemmScratch,
): void {
  const { control, job, id } = threads.workerData;
  let data: Float32Array = new Float32Array(0);
  let version = -1;
  let seen = 0;
  Atomics.store(control, 1, 1);
  for (;;) {
    Atomics.wait(control, 0, seen);
    const state = Atomics.load(control, 0);
    if (state === 4) return;
    if (state !== 1) {
      seen = state;
      continue;
    }
    let status = 2;
    try {
      const wanted = Atomics.load(job, 14);
      while (version !== wanted) {
        const received = threads.receiveMessageOnPort(threads.parentPort);
        if (received === undefined) throw new Error('GEMM worker: data buffer missing');
        const message = received.message as { buffer: SharedArrayBuffer; version: number };
        data = new Float32Array(message.buffer);
        version = message.version;
      }
      const chunks = job[1]!, axis = job[2]!, chunkSize = job[3]!;
      const m = job[4]!, n = job[5]!, k = job[6]!, cBase = job[13]!;
      for (;;) {
        const chunk = Atomics.add(job, 0, 1);
        if (chunk >= chunks) break;
        const start = chunk * chunkSize;
        const rows = axis === 0 ? Math.min(chunkSize, m - start) : m;
        const cols = axis === 0 ? n : Math.min(chunkSize, n - start);
        const a: StridedMatrix = {
          data, offset: job[7]! + (axis === 0 ? start * job[8]! : 0), rowStride: job[8]!, colStride: job[9]!,
        };
        const b: StridedMatrix = {
          data, offset: job[10]! + (axis === 0 ? 0 : start * job[12]!), rowStride: job[11]!, colStride: job[12]!,
        };
        const cOffset = cBase + (axis === 0 ? start * n : start);
        for (let i = 0; i < rows; i++) data.fill(0, cOffset + i * n, cOffset + i * n + cols);
        blocked(rows, cols, k, a, b, data, cOffset, n, scratch);
        Atomics.store(job, 16 + chunk, id);
      }
    } catch {
      status = 3;
    }
    Atomics.store(control, 0, status);
    Atomics.notify(control, 0);
    seen = status;
  }
}
