import { createEngine, type WebGpuEngine } from '../src/index.js';

let engine: Promise<WebGpuEngine> | null = null;

/**
 * One engine for every test file of this package: devices are costly to start in Dawn, and one
 * device per process is what Dawn expects.
 *
 * @example
 * before(async () => setEngine(await sharedEngine(), { kind: 'direct' }));
 */
export function sharedEngine(): Promise<WebGpuEngine> {
  engine ??= createEngine() as Promise<WebGpuEngine>;
  return engine;
}
