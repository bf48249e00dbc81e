/**
 * `@strata/engine-cpu`: Strata's default engine, plain TypeScript over typed arrays.
 */
import type { EngineFactory } from '@strata/engine-api';
import { CpuEngine } from './cpu-engine.js';

export { CpuEngine } from './cpu-engine.js';
export type { CpuData } from './buffer.js';

/**
 * Creates a CPU engine; core loads engines by dynamic import through this factory.
 *
 * @example
 * const { createEngine } = await import('@strata/engine-cpu');
 * const engine = await createEngine();
 * engine.name; // 'cpu'
 */
export const createEngine: EngineFactory = async () => new CpuEngine();
