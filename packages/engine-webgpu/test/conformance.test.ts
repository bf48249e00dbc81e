import { runConformance } from '@strata/conformance';
import { sharedEngine } from './shared-engine.js';

// The whole suite, on the engine users get: Dawn in Node (Mesa's software rasterizer here).
runConformance({ engineName: 'webgpu', createEngine: sharedEngine });
