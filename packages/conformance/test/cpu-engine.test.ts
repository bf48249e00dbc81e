import { runConformance, withoutFastPaths } from '../src/index.js';
import { CpuEngine } from '@strata/engine-cpu';

// The CPU engine runs the whole suite twice: as shipped, and reduced to the required primitives,
// which proves every fast path's decomposition in core on the reference engine.
runConformance({ engineName: 'cpu', createEngine: () => new CpuEngine() });
runConformance({ engineName: 'cpu (primitives only)', createEngine: () => withoutFastPaths(new CpuEngine()) });
