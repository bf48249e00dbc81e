import type { SuiteContext } from '../harness.js';
import { linalgCases } from './linalg.js';
import { softmaxCases } from './softmax.js';
import { softmaxCrossEntropyCases } from './softmax-cross-entropy.js';
import { optimizerUpdateCases } from './optimizer-update.js';
import { convCases } from './conv.js';
import { poolCases } from './pool.js';
import { reduceCases } from './reduce.js';
import { shapeCases } from './shape.js';
import { gatherCases } from './gather.js';
import { scanCases } from './scan.js';
import { creationCases } from './creation.js';
import { randomCases } from './random.js';
import { unaryCases } from './unary.js';
import { binaryCases } from './binary.js';
import { whereCastCases } from './where-cast.js';
import { autogradCases } from './autograd.js';
import { memoryCases } from './memory.js';
import { errorCases } from './errors.js';

// Each case group registers its mocha cases; groups are listed here so every engine runs all.
export const ALL_CASES: Record<string, (ctx: SuiteContext) => void> = {
  linalg: linalgCases,
  softmax: softmaxCases,
  softmaxCrossEntropy: softmaxCrossEntropyCases,
  optimizerUpdate: optimizerUpdateCases,
  reduce: reduceCases,
  shape: shapeCases,
  conv: convCases,
  pool: poolCases,
  gather: gatherCases,
  scan: scanCases,
  creation: creationCases,
  random: randomCases,
  unary: unaryCases,
  binary: binaryCases,
  'where-cast': whereCastCases,
  autograd: autogradCases,
  memory: memoryCases,
  errors: errorCases,
};
