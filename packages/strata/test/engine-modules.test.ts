// Engine modules given by the program (ready()'s `engines` option), which the browser build
// relies on because a bundle cannot import a package by a name known only at run time.
import { expect } from 'chai';
import type { Engine } from '@strata/engine-api';
import { checkEngineModules, type EngineModule } from '../src/engine-modules.js';
import { ConfigError, EngineLoadError } from '../src/errors.js';
import { loadEngine, type EngineRequest, type ModuleImporter } from '../src/load-engine.js';

const fakeEngine = (name: string): Engine => ({ name, capabilities: { readSync: false } }) as unknown as Engine;
const moduleOf = (name: string): EngineModule => ({ createEngine: async () => fakeEngine(name) });
const refuse: ModuleImporter = async (s) => Promise.reject(new Error(`importer called for ${s}`));
const webgpuArg: EngineRequest = { name: 'webgpu', source: 'argument' };

async function failure(run: () => Promise<unknown>): Promise<EngineLoadError> {
  const error = await run().then(() => undefined, (e: unknown) => e);
  expect(error).to.be.instanceOf(EngineLoadError);
  return error as EngineLoadError;
}

describe('loadEngine with engine modules given by the program', () => {
  it('uses a given module instead of importing the package', async () => {
    const engine = await loadEngine(webgpuArg, refuse, { webgpu: moduleOf('webgpu') });
    expect(engine.name).to.equal('webgpu');
  });

  it('calls a loader only for the chosen engine, and passes the options to its factory', async () => {
    const called: string[] = [];
    let received: unknown;
    const engine = await loadEngine({ ...webgpuArg, options: { powerPreference: 'low-power' } }, null, {
      cpu: () => (called.push('cpu'), moduleOf('cpu')),
      webgpu: async () => (called.push('webgpu'), { createEngine: async (o?: unknown) => ((received = o), fakeEngine('webgpu')) }),
    });
    expect(engine.name).to.equal('webgpu');
    expect(called).to.deep.equal(['webgpu']);
    expect(received).to.deep.equal({ powerPreference: 'low-power' });
  });

  it('still imports by name the engines not given', async () => {
    const imported: string[] = [];
    await loadEngine({ name: 'cpu', source: 'default' }, async (s) => (imported.push(s), moduleOf('cpu')), { webgpu: moduleOf('webgpu') });
    expect(imported).to.deep.equal(['@strata/engine-cpu']);
  });

  it('without an importer (the browser build), says how to give the missing module', async () => {
    const error = await failure(() => loadEngine(webgpuArg, null, { cpu: moduleOf('cpu') }));
    expect(error).to.include({ reason: 'not-provided', engine: 'webgpu', packageName: '@strata/engine-webgpu' });
    expect(error.message).to.equal(
      'engine "webgpu" is set in the ready() argument but this build of strata (for browsers) cannot import engine packages by name, ' +
        "and no module was given for it: pass one to ready(), e.g. ready({ engine: 'webgpu', engines: { webgpu: () => import('@strata/engine-webgpu') } }), " +
        'or choose another engine: cpu, cuda.',
    );
  });

  it('wraps a loader that fails (a chunk that did not load), keeping the cause', async () => {
    const cause = new TypeError('Failed to fetch dynamically imported module: http://127.0.0.1/chunk-1.js');
    const error = await failure(() => loadEngine(webgpuArg, null, { webgpu: async () => Promise.reject(cause) }));
    expect(error).to.include({ reason: 'import-failed' });
    expect(error.message).to.equal(
      `engine "webgpu" is set in the ready() argument but loading its module (the "webgpu" entry of ready()'s engines) failed: ${cause.message}\n` +
        'Check that @strata/engine-webgpu is installed and bundled, or choose another engine: cpu, cuda.',
    );
    expect(error.cause).to.equal(cause);
  });

  it('rejects a given module without createEngine, naming the engines entry', async () => {
    const error = await failure(() => loadEngine(webgpuArg, null, { webgpu: (async () => ({ default: {} })) as never }));
    expect(error).to.include({ reason: 'bad-package' });
    expect(error.message).to.match(/^the module given as engines\.webgpu to ready\(\) does not export a createEngine function, .*Give the @strata\/engine-webgpu module itself, e\.g\. \(\) => import\('@strata\/engine-webgpu'\)/);
  });
});

describe('checkEngineModules', () => {
  it('accepts modules, loaders, an absent option and undefined entries', () => {
    const engines = { cpu: moduleOf('cpu'), webgpu: async () => moduleOf('webgpu'), cuda: undefined };
    expect(checkEngineModules(engines)).to.equal(engines);
    expect(checkEngineModules(undefined)).to.deep.equal({});
  });

  it('names a misspelt engine and lists the known ones', () => {
    expect(() => checkEngineModules({ webgu: () => moduleOf('webgpu') }))
      .to.throw(ConfigError, 'Invalid ready() options: "engines.webgu" is not a known engine; "engines" accepts "cpu", "webgpu", "cuda". Fix its spelling or remove it.')
      .with.property('key', 'engines.webgu');
  });

  it('rejects an entry that is neither a module nor a loader, and an option that is not an object', () => {
    expect(() => checkEngineModules({ webgpu: '@strata/engine-webgpu' })).to.throw(
      ConfigError,
      `Invalid ready() options: "engines.webgpu" is "@strata/engine-webgpu"; expected an engine module or a function that imports one, such as () => import('@strata/engine-webgpu'). Fix the value or leave it out.`,
    );
    expect(() => checkEngineModules(['webgpu'])).to.throw(ConfigError, /"engines" is \["webgpu"\]; expected an object such as \{ webgpu: \(\) => import\('@strata\/engine-webgpu'\) \}/);
  });
});
