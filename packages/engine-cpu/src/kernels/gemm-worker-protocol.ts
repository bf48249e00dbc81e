/*
 * The shared-memory protocol between the main thread and the GEMM workers. Each worker has a
 * control block; all share one job block and one data buffer (A and B copied in, the workers' C
 * chunks written out). Workers block in `Atomics.wait` between jobs, so handing out a job costs a
 * store and a notify, not a message round trip, and the main thread can wait synchronously.
 */

/** Control block slots (Int32Array per worker). */
export const CONTROL_STATE = 0;
export const CONTROL_READY = 1;
export const CONTROL_SIZE = 2;

/** Values of `CONTROL_STATE`. */
export const STATE_IDLE = 0;
export const STATE_JOB = 1;
export const STATE_DONE = 2;
export const STATE_FAILED = 3;
export const STATE_EXIT = 4;

/** Job block slots (one Int32Array shared by all threads). */
export const JOB_NEXT_CHUNK = 0;
export const JOB_CHUNKS = 1;
export const JOB_AXIS = 2;
export const JOB_CHUNK_SIZE = 3;
export const JOB_M = 4;
export const JOB_N = 5;
export const JOB_K = 6;
export const JOB_A_OFFSET = 7;
export const JOB_A_ROW_STRIDE = 8;
export const JOB_A_COL_STRIDE = 9;
export const JOB_B_OFFSET = 10;
export const JOB_B_ROW_STRIDE = 11;
export const JOB_B_COL_STRIDE = 12;
export const JOB_C_OFFSET = 13;
export const JOB_DATA_VERSION = 14;
/** `JOB_OWNERS + chunk` holds who computed the chunk: a worker id, or -1 for nobody yet. */
export const JOB_OWNERS = 16;
export const MAX_CHUNKS = 64;
export const JOB_SIZE = JOB_OWNERS + MAX_CHUNKS;

/** `JOB_AXIS` values: chunks are row ranges or column ranges of C. */
export const AXIS_ROWS = 0;
export const AXIS_COLUMNS = 1;
