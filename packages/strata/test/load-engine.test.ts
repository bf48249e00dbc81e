import { expect } from 'chai';
import type { Engine } from '@strata/engine-api';
import { ConfigError, EngineLoadError } from '../src/errors.js';
import { ENGINE_PACKAGES, importPackage, loadEngine, type EngineRequest, type ModuleImporter } from '../src/load-engine.js';

const FILE = '/app/strata.config.json';

function fakeEngine(name: string): Engine {
  return { name, capabilities: { readSync: false } } as unknown as Engine;
}

/** What Node throws for `import('<specifier>')` when the package is absent. */
function notFound(specifier: string, from = '/app/node_modules/strata/dist/index.js'): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from ${from}`), { code: 'ERR_MODULE_NOT_FOUND' });
}

async function loadError(request: EngineRequest, importer: ModuleImporter): Promise<EngineLoadError | ConfigError> {
  try {
    await loadEngine(request, importer);
  } catch (error) {
    expect(error).to.satisfy((e: unknown) => e instanceof EngineLoadError || e instanceof ConfigError);
    return error as EngineLoadError | ConfigError;
  }
  throw new Error('expected loadEngine to throw');
}

describe('loadEngine', () => {
  it('imports only the chosen engine package and passes it the options', async () => {
    const imported: string[] = [];
    let received: unknown;
    const importer: ModuleImporter = async (specifier) => {
      imported.push(specifier);
      return { createEngine: async (options: unknown) => ((received = options), fakeEngine('webgpu')) };
    };
    const engine = await loadEngine({ name: 'webgpu', source: 'argument', options: { powerPreference: 'low-power' } }, importer);
    expect(engine.name).to.equal('webgpu');
    expect(imported).to.deep.equal(['@strata/engine-webgpu']);
    expect(received).to.deep.equal({ powerPreference: 'low-power' });
  });

  it('never touches the GPU or native packages for the default cpu engine', async () => {
    const imported: string[] = [];
    await loadEngine({ name: 'cpu', source: 'default' }, async (s) => (imported.push(s), { createEngine: async () => fakeEngine('cpu') }));
    expect(imported).to.deep.equal(['@strata/engine-cpu']);
  });

  it('rejects an unknown name and lists the known engines', async () => {
    const error = await loadError({ name: 'tpu', source: 'config', file: FILE }, importPackage);
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.message).to.equal(`Unknown engine "tpu" (it is set in ${FILE}); known engines: cpu, webgpu, cuda.`);
    expect(error).to.include({ file: FILE, key: 'engine', received: 'tpu' });
  });

  describe('a package that is not installed', () => {
    const sources: [EngineRequest, string][] = [
      [{ name: 'cuda', source: 'config', file: FILE }, `is set in ${FILE}`],
      [{ name: 'cuda', source: 'argument' }, 'is set in the ready() argument'],
      [{ name: 'cuda', source: 'env' }, 'is set in the STRATA_ENGINE environment variable'],
    ];
    for (const [request, where] of sources) {
      it(`says where the choice came from (${request.source}) and how to install it`, async () => {
        const error = await loadError(request, async (s) => Promise.reject(notFound(s)));
        expect(error).to.be.instanceOf(EngineLoadError);
        expect(error.message).to.equal(
          `engine "cuda" ${where} but @strata/engine-cuda is not installed: run \`pnpm add @strata/engine-cuda\` (or choose another engine: cpu, webgpu)`,
        );
        expect(error).to.include({ engine: 'cuda', packageName: '@strata/engine-cuda', reason: 'not-installed' });
      });
    }

    it('says when the missing engine is the default', async () => {
      const error = await loadError({ name: 'cpu', source: 'default' }, async (s) => Promise.reject(notFound(s)));
      expect(error.message).to.match(/^engine "cpu" is the default but @strata\/engine-cpu is not installed/);
    });

    it("recognises CommonJS's MODULE_NOT_FOUND too", async () => {
      const cjs = Object.assign(new Error("Cannot find module '@strata/engine-webgpu'\nRequire stack:\n- /app/index.cjs"), { code: 'MODULE_NOT_FOUND' });
      const error = await loadError({ name: 'webgpu', source: 'argument' }, async () => Promise.reject(cjs));
      expect(error).to.include({ reason: 'not-installed' });
      expect(error.message).to.contain('(or choose another engine: cpu, cuda)');
    });

    it('is detected with the real importer (no engine-cuda in this workspace)', async () => {
      const error = await loadError({ name: 'cuda', source: 'config', file: FILE }, importPackage);
      expect(error).to.include({ reason: 'not-installed' });
      expect(error.message).to.contain(`engine "cuda" is set in ${FILE} but @strata/engine-cuda is not installed`);
    });
  });

  describe('a package that is installed but broken', () => {
    it('does not call a missing dependency of the engine "not installed"', async () => {
      const nested = notFound('webgpu', '/app/node_modules/@strata/engine-webgpu/dist/index.js');
      const error = await loadError({ name: 'webgpu', source: 'argument' }, async () => Promise.reject(nested));
      expect(error).to.include({ reason: 'import-failed', packageName: '@strata/engine-webgpu' });
      expect(error.message).to.equal(
        `engine "webgpu" is set in the ready() argument but importing @strata/engine-webgpu failed: ${nested.message}\n` +
          'Reinstall @strata/engine-webgpu, or choose another engine: cpu, cuda.',
      );
      expect(error.cause).to.equal(nested);
    });

    it('wraps any other import error, keeping the original message and cause', async () => {
      const syntax = new SyntaxError("Unexpected token 'export'");
      const error = await loadError({ name: 'cuda', source: 'env' }, async () => Promise.reject(syntax));
      expect(error).to.include({ reason: 'import-failed' });
      expect(error.message).to.contain("importing @strata/engine-cuda failed: Unexpected token 'export'");
      expect(error.cause).to.equal(syntax);
    });

    it('rejects a package without a createEngine function', async () => {
      const error = await loadError({ name: 'webgpu', source: 'argument' }, async () => ({ default: {} }));
      expect(error).to.include({ reason: 'bad-package' });
      expect(error.message).to.contain('@strata/engine-webgpu does not export a createEngine function');
    });
  });

  it('wraps a factory that throws with the engine name and the original message', async () => {
    const cause = new Error('No WebGPU adapter found (is a GPU available?)');
    const importer: ModuleImporter = async () => ({ createEngine: async () => Promise.reject(cause) });
    const error = await loadError({ name: 'webgpu', source: 'config', file: FILE }, importer);
    expect(error).to.be.instanceOf(EngineLoadError);
    expect(error.message).to.equal(
      `engine "webgpu" is set in ${FILE} but failed to start: No WebGPU adapter found (is a GPU available?)\n` +
        'Fix the cause above, or choose another engine: cpu, cuda.',
    );
    expect(error).to.include({ reason: 'factory-failed', engine: 'webgpu' });
    expect(error.cause).to.equal(cause);
  });

  it('names every engine package', () => {
    expect(ENGINE_PACKAGES).to.deep.equal({ cpu: '@strata/engine-cpu', webgpu: '@strata/engine-webgpu', cuda: '@strata/engine-cuda' });
  });
});
