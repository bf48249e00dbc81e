import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('end to end', () => {
  it('the README main example learns w = 3, b = 2 and leaves no tensor behind', () => {
    const out = execFileSync('node', ['scripts/run-example.mjs', 'linear-regression'], { cwd: root, encoding: 'utf8' });
    expect(out).to.match(/engine: cpu \(chosen by .*strata\.config\.json\)/);
    const [, w, b] = /learned w = ([\d.-]+), b = ([\d.-]+)/.exec(out) ?? [];
    expect(Number(w)).to.be.closeTo(3, 0.05);
    expect(Number(b)).to.be.closeTo(2, 0.05);
    expect(out).to.contain('live tensors at exit: 0');
  });

  it('the README snippet runs and prints what its comments say', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet, 'a ts block in README.md').to.be.a('string');
    mkdirSync(join(root, '.tmp'), { recursive: true });
    const file = join(root, '.tmp', 'readme-snippet.mts');
    writeFileSync(file, snippet!);
    const out = execFileSync('node', ['--conditions=strata-source', '--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
    expect(out.trim().split('\n')).to.deep.equal(['[ [ 2, 4 ], [ 6, 8 ] ]', '3']);
  });

  it('an unknown example lists the available ones', () => {
    const r = spawnSync('node', ['scripts/run-example.mjs', 'nope'], { cwd: root, encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.contain('Unknown example "nope"').and.contain('linear-regression');
  });

  // The built packages (tsup output), loaded by plain Node with no TypeScript tooling, as users
  // get them. The scripts live under the repo's .tmp/ so 'strata' resolves through node_modules.
  const script = (load: string): string => `
    const st = ${load};
    const info = await st.ready({ engine: 'cpu' });
    const x = st.tensor([[1, 2], [3, 4]]);
    const g = st.grad((t) => st.sum(st.square(t)))(x);
    console.log(JSON.stringify({ engine: info.name, g: await g.array() }));
  `;
  const cases = [
    ['ESM', 'check.mjs', script("await import('strata')")],
    ['CJS', 'check.cjs', `(async () => { ${script("require('strata')")} })();`],
  ] as const;
  for (const [kind, name, source] of cases) {
    it(`the built strata package works from ${kind}`, () => {
      const dir = join(root, '.tmp');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, name), source);
      const { STRATA_ENGINE: _ignored, ...env } = process.env;
      const out = execFileSync('node', [join(dir, name)], { encoding: 'utf8', env });
      expect(JSON.parse(out.trim())).to.deep.equal({ engine: 'cpu', g: [[2, 4], [6, 8]] });
    });
  }
});
