// The browser entry ("browser" export condition): the same API as the Node entry minus the config
// file loader, and a module graph that bundlers can pack for browsers without Node's modules.
import { expect } from 'chai';
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as browser from '../src/browser.js';
import * as node from '../src/index.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the browser entry', () => {
  it('exports what the Node entry does, except the config file loader', () => {
    const nodeOnly = Object.keys(node).filter((k) => !(k in browser));
    expect(nodeOnly.sort()).to.deep.equal(['CONFIG_SEARCH_PLACES', 'loadConfig']);
    expect(Object.keys(browser).filter((k) => !(k in node))).to.deep.equal([]);
    expect(browser.ready).to.not.equal(node.ready);
  });

  it('is what a bundler targeting browsers picks, and pulls in neither cosmiconfig nor the config loader', async function () {
    this.timeout(30_000);
    const result = await build({
      stdin: { contents: "export { ready } from 'strata';", resolveDir: pkg },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      conditions: ['strata-source'],
      // @strata/layers loads node:fs lazily for its file-writing callbacks; a page never reaches it.
      external: ['node:*'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).to.include.members(['src/browser.ts', 'src/ready-browser.ts']);
    expect(inputs.filter((i) => /cosmiconfig|^src\/(config|ready|index)\.ts$/.test(i))).to.deep.equal([]);
    // The built-in cpu engine is bundled, since the page cannot import it by name.
    expect(inputs.some((i) => i.includes('engine-cpu/src/'))).to.equal(true);
  });
});
