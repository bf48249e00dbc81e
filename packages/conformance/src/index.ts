/**
 * `@strata/conformance`: the suite every engine runs. An engine's test file is a few lines:
 *
 * @example
 * import { runConformance } from '@strata/conformance';
 * import { CpuEngine } from '@strata/engine-cpu';
 * runConformance({ engineName: 'cpu', createEngine: async () => new CpuEngine() });
 */
import { setEngine } from '@strata/core';
import type { Engine } from '@strata/engine-api';
import type { SuiteContext } from './harness.js';
import { ALL_CASES } from './cases/index.js';

export * from './harness.js';

/** How an engine enters the suite. */
export interface ConformanceOptions {
  engineName: string;
  createEngine: () => Promise<Engine> | Engine;
  /** Case ids this engine is known to fail, each with its reason. */
  expectedFailures?: Record<string, string>;
}

/**
 * Registers the whole conformance suite (mocha `describe` blocks) for one engine.
 *
 * @example
 * runConformance({ engineName: 'cpu', createEngine: () => new CpuEngine() });
 */
export function runConformance(options: ConformanceOptions): void {
  const ctx: SuiteContext = { engineName: options.engineName, expectedFailures: options.expectedFailures ?? {} };
  describe(`conformance: ${options.engineName} engine`, () => {
    before(async () => {
      setEngine(await options.createEngine(), { kind: 'direct' });
    });
    for (const [group, register] of Object.entries(ALL_CASES)) {
      describe(group, () => register(ctx));
    }
  });
}
