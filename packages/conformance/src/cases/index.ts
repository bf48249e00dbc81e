import type { SuiteContext } from '../harness.js';
import { linalgCases } from './linalg.js';
import { softmaxCases } from './softmax.js';
import { convCases } from './conv.js';
import { poolCases } from './pool.js';
import { reduceCases } from './reduce.js';
import { shapeCases } from './shape.js';
import { gatherCases } from './gather.js';
import { scanCases } from './scan.js';

// Each case group registers its mocha cases; groups are listed here so every engine runs all.
export const ALL_CASES: Record<string, (ctx: SuiteContext) => void> = {
  linalg: linalgCases,
  softmax: softmaxCases,
  reduce: reduceCases,
  shape: shapeCases,
  conv: convCases,
  pool: poolCases,
  gather: gatherCases,
  scan: scanCases,
};
