import { defineConfig } from 'tsup';
import { packageBuild } from '../../configs/tsup.base';

export default defineConfig(packageBuild(['src/index.ts', 'src/browser.ts']));
