import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeEngine, EngineStateError, getSeed, hasEngine, memory, setEngine, setSeed, tensor, type Engine } from '@strata/core';
import { EngineLoadError } from '../src/errors.js';
import { importPackage, type ModuleImporter } from '../src/load-engine.js';
import { browserChooser } from '../src/ready-browser.js';
import { getEngine, nodeChooser, ready } from '../src/ready.js';

interface FakeEngine extends Engine {
  options: unknown;
  closed: boolean;
}

/** An importer whose engines are inert stand-ins: enough for core to install and close them. */
function fakes(overrides: Record<string, () => Promise<unknown>> = {}): { made: FakeEngine[]; importer: ModuleImporter } {
  const made: FakeEngine[] = [];
  const importer: ModuleImporter = async (specifier) => {
    const override = overrides[specifier];
    if (override) return override();
    const name = specifier.replace('@strata/engine-', '');
    return {
      createEngine: async (options: unknown) => {
        const engine = {
          name,
          options,
          closed: false,
          capabilities: { readSync: false },
          memory: () => ({ numBuffers: 0, numBytes: 0 }),
          close() {
            engine.closed = true;
          },
        };
        made.push(engine as unknown as FakeEngine);
        return engine as unknown as Engine;
      },
    };
  };
  return { made, importer };
}

const made: string[] = [];

async function project(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-ready-'));
  made.push(dir);
  await writeFile(join(dir, 'package.json'), '{ "name": "app", "private": true }');
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

const ENV_KEYS = ['STRATA_ENGINE', 'STRATA_SEED'] as const;

/** Clears the Strata variables for each test of the calling suite and restores them after. */
function isolateEnv(): void {
  let saved: Partial<Record<(typeof ENV_KEYS)[number], string>> = {};
  beforeEach(() => {
    saved = {};
    for (const key of ENV_KEYS) {
      if (process.env[key] !== undefined) saved[key] = process.env[key];
      delete process.env[key];
    }
  });
  afterEach(() => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
}

after(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('ready() with injected engines', () => {
  isolateEnv();

  it('getEngine() before ready() says to await ready()', function () {
    if (hasEngine()) {
      // Another test file installed an engine first; the fresh nodeChooser case below covers it.
      console.log('      skipped: an engine is already installed in this process');
      this.skip();
    }
    expect(() => nodeChooser().getEngine()).to.throw(EngineStateError, /`await ready\(\)` \(from "strata"\) before calling getEngine\(\)/);
  });

  it('getEngine() explains when the engine was installed with setEngine() directly', () => {
    const { importer } = fakes();
    const engine = { name: 'cpu', capabilities: { readSync: false }, memory: () => ({ numBuffers: 0, numBytes: 0 }) } as unknown as Engine;
    setEngine(engine);
    expect(() => nodeChooser(importer).getEngine()).to.throw(EngineStateError, /installed with setEngine\(\) from @strata\/core, not by ready\(\)/);
  });

  it('starts the engine from the config file with its options and seed, and tells core where it came from', async () => {
    const dir = await project({ 'strata.config.json': '{ "engine": "webgpu", "seed": 5, "webgpu": { "powerPreference": "low-power" } }' });
    const { made: engines, importer } = fakes();
    const chooser = nodeChooser(importer);
    const info = await chooser.ready({ cwd: dir });
    const file = join(dir, 'strata.config.json');
    expect(info).to.deep.equal({ name: 'webgpu', source: 'config', file, options: { powerPreference: 'low-power' } });
    expect(chooser.getEngine()).to.equal(info);
    expect(engines).to.have.length(1);
    expect(engines[0].options).to.deep.equal({ powerPreference: 'low-power' });
    expect(activeEngine().engine).to.equal(engines[0]);
    expect(activeEngine().source).to.deep.equal({ kind: 'config', file });
    expect(getSeed()).to.equal(5);
  });

  it('resolves once: later calls with the same choice return the same info and start nothing', async () => {
    const dir = await project({ 'strata.config.json': '{ "engine": "cuda" }' });
    const { made: engines, importer } = fakes();
    const chooser = nodeChooser(importer);
    const first = await chooser.ready({ cwd: dir });
    expect(await chooser.ready({ cwd: dir })).to.equal(first);
    expect(await chooser.ready({ cwd: dir, engine: 'cuda' })).to.equal(first);
    process.env.STRATA_ENGINE = 'webgpu'; // read once: a later change does not move the engine
    expect(await chooser.ready({ cwd: dir })).to.equal(first);
    expect(engines).to.have.length(1);
  });

  it('starts one engine when called concurrently', async () => {
    const { made: engines, importer } = fakes();
    const chooser = nodeChooser(importer);
    const dir = await project();
    const [a, b] = await Promise.all([chooser.ready({ cwd: dir }), chooser.ready({ cwd: dir })]);
    expect(a).to.equal(b);
    expect(engines).to.have.length(1);
  });

  it('switches engine on an explicit request while no tensors are alive, closing the old one', async () => {
    const { made: engines, importer } = fakes();
    const chooser = nodeChooser(importer);
    const dir = await project();
    expect((await chooser.ready({ cwd: dir })).name).to.equal('cpu');
    const info = await chooser.ready({ cwd: dir, engine: 'cuda', cuda: { device: 1 } });
    expect(info).to.deep.include({ name: 'cuda', source: 'argument', options: { device: 1 } });
    expect(engines.map((e) => [e.name, e.closed])).to.deep.equal([['cpu', true], ['cuda', false]]);
  });

  it('restarts the same engine when its options change', async () => {
    const { made: engines, importer } = fakes();
    const chooser = nodeChooser(importer);
    const dir = await project();
    await chooser.ready({ cwd: dir, engine: 'webgpu' });
    const info = await chooser.ready({ cwd: dir, engine: 'webgpu', webgpu: { forceFallbackAdapter: true } });
    expect(info.options).to.deep.equal({ forceFallbackAdapter: true });
    expect(engines).to.have.length(2);
  });

  it('takes STRATA_ENGINE and STRATA_SEED when no argument is given', async () => {
    process.env.STRATA_ENGINE = 'cuda';
    process.env.STRATA_SEED = '77';
    const { importer } = fakes();
    const info = await nodeChooser(importer).ready({ cwd: await project({ '.stratarc': 'engine: webgpu\nseed: 1\n' }) });
    expect(info).to.deep.include({ name: 'cuda', source: 'env' });
    expect(getSeed()).to.equal(77);
  });

  it('re-seeds on a later call only when that call passes a seed', async () => {
    const { importer } = fakes();
    const chooser = nodeChooser(importer);
    const dir = await project({ 'strata.config.json': '{ "seed": 5 }' });
    await chooser.ready({ cwd: dir });
    setSeed(99);
    await chooser.ready({ cwd: dir });
    expect(getSeed()).to.equal(99);
    await chooser.ready({ cwd: dir, seed: 3 });
    expect(getSeed()).to.equal(3);
  });

  it('keeps the current engine when a switch fails', async () => {
    const notInstalled = Object.assign(new Error("Cannot find package '@strata/engine-cuda' imported from /x.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    const { made: engines, importer } = fakes({ '@strata/engine-cuda': () => Promise.reject(notInstalled) });
    const chooser = nodeChooser(importer);
    const dir = await project();
    const before = await chooser.ready({ cwd: dir });
    let caught: unknown;
    await chooser.ready({ cwd: dir, engine: 'cuda' }).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(EngineLoadError);
    expect((caught as Error).message).to.equal(
      'engine "cuda" is set in the ready() argument but @strata/engine-cuda is not installed: run `pnpm add @strata/engine-cuda` (or choose another engine: cpu, webgpu)',
    );
    expect(chooser.getEngine()).to.equal(before);
    expect(activeEngine().engine).to.equal(engines[0]);
    expect(await chooser.ready({ cwd: dir })).to.equal(before); // the queue survives a rejection
  });

  it('names the config file when the configured engine is not installed', async () => {
    const dir = await project({ 'strata.config.json': '{ "engine": "cuda" }' });
    let caught: unknown;
    await nodeChooser(importPackage).ready({ cwd: dir }).catch((e: unknown) => (caught = e));
    expect((caught as Error).message).to.equal(
      `engine "cuda" is set in ${join(dir, 'strata.config.json')} but @strata/engine-cuda is not installed: ` +
        'run `pnpm add @strata/engine-cuda` (or choose another engine: cpu, webgpu)',
    );
  });

  it('notices when core was given another engine directly, and chooses again', async () => {
    const { made: engines, importer } = fakes();
    const chooser = nodeChooser(importer);
    const dir = await project();
    await chooser.ready({ cwd: dir });
    setEngine({ name: 'other', capabilities: { readSync: false }, memory: () => ({ numBuffers: 0, numBytes: 0 }) } as unknown as Engine);
    expect(() => chooser.getEngine()).to.throw(EngineStateError, /"other" was installed with setEngine\(\)/);
    expect((await chooser.ready({ cwd: dir })).name).to.equal('cpu');
    expect(engines).to.have.length(2);
  });
});

describe('ready() with the real cpu engine', () => {
  isolateEnv();

  it('starts cpu by default and reports it through getEngine()', async () => {
    const info = await ready({ cwd: await project() });
    expect(info).to.deep.equal({ name: 'cpu', source: 'default', options: {} });
    expect(getEngine()).to.equal(info);
    expect(activeEngine().engine.name).to.equal('cpu');
    expect(await ready()).to.equal(info);
  });

  it('refuses another engine while a tensor is alive, and allows it once the tensor is disposed', async () => {
    const { made: engines, importer: fakeImporter } = fakes();
    // Real cpu, stand-in webgpu: the switch rules are core's and need a live tensor on a real engine.
    const importer: ModuleImporter = (s) => (s === '@strata/engine-cpu' ? importPackage(s) : fakeImporter(s));
    const chooser = nodeChooser(importer);
    const dir = await project();
    expect((await chooser.ready({ cwd: dir })).name).to.equal('cpu');

    const t = tensor([1]);
    try {
      expect(Array.from(await t.data())).to.deep.equal([1]);
      let caught: unknown;
      await chooser.ready({ cwd: dir, engine: 'webgpu' }).catch((e: unknown) => (caught = e));
      expect(caught).to.be.instanceOf(EngineStateError);
      expect((caught as Error).message).to.match(/^Cannot switch engine from "cpu" to "webgpu": 1 tensor\(s\) still live on "cpu"\./);
      expect(engines[0].closed, 'the refused engine is closed').to.equal(true);
      expect(chooser.getEngine().name).to.equal('cpu');
    } finally {
      t.dispose();
    }

    expect(memory().numTensors).to.equal(0);
    expect(await chooser.ready({ cwd: dir, engine: 'webgpu' })).to.deep.include({ name: 'webgpu', source: 'argument' });
    expect((await chooser.ready({ cwd: dir, engine: 'cpu' })).name).to.equal('cpu');
    expect(activeEngine().engine.name).to.equal('cpu');
  });
});

describe('ready() with engine modules given by the program', () => {
  isolateEnv();

  it('in Node, uses a given module instead of importing the package', async () => {
    const { importer } = fakes();
    const imported: string[] = [];
    const chooser = nodeChooser(async (s) => (imported.push(s), importer(s)));
    const engine = { name: 'webgpu', given: true, capabilities: { readSync: false }, memory: () => ({ numBuffers: 0, numBytes: 0 }) };
    const given = { createEngine: async () => engine as unknown as Engine };
    const info = await chooser.ready({ cwd: await project(), engine: 'webgpu', engines: { webgpu: async () => given } });
    expect(info).to.deep.equal({ name: 'webgpu', source: 'argument', options: {} });
    expect((activeEngine().engine as unknown as { given: boolean }).given).to.equal(true);
    expect(imported).to.deep.equal([]);
  });

  it('checks the engines option before starting anything', async () => {
    const { made: engines, importer } = fakes();
    const error = await nodeChooser(importer).ready({ cwd: await project(), engines: { gpu: async () => ({}) } as never }).catch((e: unknown) => e);
    expect((error as Error).message).to.match(/^Invalid ready\(\) options: "engines\.gpu" is not a known engine/);
    expect(engines).to.have.length(0);
  });

  it('in the browser build, starts the built-in cpu engine and ignores STRATA_* variables', async () => {
    process.env.STRATA_ENGINE = 'cuda';
    const chooser = browserChooser();
    const info = await chooser.ready({ seed: 3 });
    expect(info).to.deep.equal({ name: 'cpu', source: 'default', options: {} });
    expect(activeEngine().engine.name).to.equal('cpu');
    expect(getSeed()).to.equal(3);
  });

  it('in the browser build, starts another engine only from a given module, and says how when none is given', async () => {
    const chooser = browserChooser();
    const error = await chooser.ready({ engine: 'webgpu' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EngineLoadError).and.include({ reason: 'not-provided' });
    expect((error as Error).message).to.contain("ready({ engine: 'webgpu', engines: { webgpu: () => import('@strata/engine-webgpu') } })");
    const { importer } = fakes();
    const info = await chooser.ready({ engine: 'webgpu', engines: { webgpu: () => importer('@strata/engine-webgpu') as never } });
    expect(info).to.deep.equal({ name: 'webgpu', source: 'argument', options: {} });
    expect(chooser.getEngine()).to.equal(info);
  });
});
