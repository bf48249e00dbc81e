import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The same script, unchanged, runs on the WebGPU engine when the config file or STRATA_ENGINE says
// so. It loads the built `strata` from plain Node, as users get it.
const SCRIPT = `
import * as st from 'strata';
const info = await st.ready();
const x = st.tensor([[1, 2], [3, 4]]);
const y = st.matMul(x, x);
console.log(JSON.stringify({ engine: info.name, source: info.source, y: await y.array(), sum: await st.sum(y).array() }));
`;

/** A throwaway project under .tmp/ (so `strata` resolves through the repo's node_modules). */
function project(name: string, files: Record<string, string>): string {
  const dir = join(root, '.tmp', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  writeFileSync(join(dir, 'main.mjs'), SCRIPT);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

function run(dir: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const { STRATA_ENGINE: _ignored, ...inherited } = process.env;
  return spawnSync('node', ['main.mjs'], { cwd: dir, encoding: 'utf8', env: { ...inherited, ...env } });
}

describe('choosing the webgpu engine is only the flag', () => {
  const expected = { y: [[7, 10], [15, 22]], sum: 54 };

  it('strata.config.json { "engine": "webgpu" } with adapter options', () => {
    const dir = project('webgpu-config', { 'strata.config.json': '{ "engine": "webgpu", "webgpu": { "powerPreference": "high-performance" } }' });
    const r = run(dir);
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout.trim())).to.deep.equal({ engine: 'webgpu', source: 'config', ...expected });
  });

  it('STRATA_ENGINE=webgpu overrides a config file that says cpu', () => {
    const dir = project('webgpu-env', { 'strata.config.json': '{ "engine": "cpu" }' });
    const r = run(dir, { STRATA_ENGINE: 'webgpu' });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout.trim())).to.deep.equal({ engine: 'webgpu', source: 'env', ...expected });
  });

  it('a misspelt webgpu option is named with the file, the accepted keys and the fix', () => {
    const dir = project('webgpu-bad-option', { 'strata.config.json': '{ "engine": "webgpu", "webgpu": { "powerPrefrence": "high-performance" } }' });
    const r = run(dir);
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.contain('strata.config.json').and.contain('powerPrefrence').and.contain('"powerPreference"');
  });
});
