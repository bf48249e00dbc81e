import type { Options } from 'tsup';

/**
 * The one tsup setup every package builds with: ESM + CJS + `.d.ts`, sources in `src/`.
 *
 * @example
 * // packages/core/tsup.config.ts
 * import { packageBuild } from '../../configs/tsup.base';
 * export default packageBuild(['src/index.ts']);
 */
export function packageBuild(entry: string[], overrides: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    splitting: false,
    ...overrides,
  };
}
