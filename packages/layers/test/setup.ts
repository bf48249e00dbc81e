import { setEngine } from '@strata/core';
import { CpuEngine } from '@strata/engine-cpu';

// Every layers test runs on the CPU engine, installed once per test process.
setEngine(new CpuEngine());
