#!/usr/bin/env node
// `pnpm example <name>` runs examples/<name>/main.ts from its own folder, so the example's
// strata.config.json is the one the engine flag is read from. A browser example's main.ts runs in
// the page, so for one (a folder with serve.ts) this runs serve.ts, which bundles and serves it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
const available = readdirSync(examples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examples, d.name, 'main.ts')))
  .map((d) => d.name);
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`${name ? `Unknown example "${name}". ` : ''}Usage: pnpm example <name>. Available: ${available.join(', ')}`);
  process.exit(2);
}
const script = existsSync(join(examples, name, 'serve.ts')) ? 'serve.ts' : 'main.ts';
const result = spawnSync(process.execPath, ['--conditions=strata-source', '--import', 'tsx', script, ...process.argv.slice(3)], {
  cwd: join(examples, name),
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
