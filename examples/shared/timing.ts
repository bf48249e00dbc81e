// A fit callback that times each epoch (wall clock), for the "seconds per epoch" the examples print.
export interface EpochTimer {
  callback: { onEpochBegin: () => void; onEpochEnd: () => void };
  /** Seconds of each finished epoch. */
  seconds: number[];
  /** Mean seconds per epoch. */
  mean: () => number;
}

export function epochTimer(): EpochTimer {
  const seconds: number[] = [];
  let start = 0;
  return {
    callback: {
      onEpochBegin: () => { start = performance.now(); },
      onEpochEnd: () => { seconds.push((performance.now() - start) / 1000); },
    },
    seconds,
    mean: () => seconds.reduce((a, b) => a + b, 0) / Math.max(1, seconds.length),
  };
}
