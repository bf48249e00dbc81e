import type { SuiteContext } from '../harness.js';
import { linalgCases } from './linalg.js';
import { softmaxCases } from './softmax.js';
import { reduceCases } from './reduce.js';

// Each case group registers its mocha cases; groups are listed here so every engine runs all.
export const ALL_CASES: Record<string, (ctx: SuiteContext) => void> = {
  linalg: linalgCases,
  softmax: softmaxCases,
  reduce: reduceCases,
};
