import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { resolveChoice, type ChoiceContext, type ReadyOptions } from '../src/resolve-choice.js';

const FILE = '/app/strata.config.json';

function context(overrides: { env?: Record<string, string>; file?: LoadedConfig; current?: ChoiceContext['current'] } = {}): ChoiceContext {
  return {
    env: overrides.env ?? {},
    readConfig: async () => overrides.file ?? { config: {} },
    ...(overrides.current ? { current: overrides.current } : {}),
  };
}

async function choiceError(options: ReadyOptions, ctx: ChoiceContext): Promise<ConfigError> {
  try {
    await resolveChoice(options, ctx);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected resolveChoice to throw');
}

describe('resolveChoice: engine precedence', () => {
  const file: LoadedConfig = { config: { engine: 'webgpu' }, file: FILE };

  it('defaults to cpu', async () => {
    expect(await resolveChoice({}, context())).to.deep.equal({ info: { name: 'cpu', source: 'default', options: {} } });
  });

  it('takes the config file over the default', async () => {
    expect((await resolveChoice({}, context({ file }))).info).to.deep.equal({ name: 'webgpu', source: 'config', file: FILE, options: {} });
  });

  it('takes STRATA_ENGINE over the config file', async () => {
    const { info } = await resolveChoice({}, context({ file, env: { STRATA_ENGINE: 'cuda' } }));
    expect(info).to.deep.include({ name: 'cuda', source: 'env' });
  });

  it('takes the argument over STRATA_ENGINE and the config file', async () => {
    const { info } = await resolveChoice({ engine: 'cpu' }, context({ file, env: { STRATA_ENGINE: 'cuda' } }));
    expect(info).to.deep.include({ name: 'cpu', source: 'argument' });
  });

  it('reports the config file even when the engine came from elsewhere, since it may supply options', async () => {
    const { info } = await resolveChoice({ engine: 'cpu' }, context({ file }));
    expect(info.file).to.equal(FILE);
  });

  it('treats an empty STRATA_ENGINE as unset', async () => {
    const { info } = await resolveChoice({}, context({ file, env: { STRATA_ENGINE: ' ' } }));
    expect(info).to.deep.include({ name: 'webgpu', source: 'config' });
  });

  it('keeps the engine already chosen when the call names none, whatever the env and file say', async () => {
    const { info } = await resolveChoice({}, context({ file, env: { STRATA_ENGINE: 'cuda' }, current: { name: 'cpu', source: 'default' } }));
    expect(info).to.deep.include({ name: 'cpu', source: 'default' });
  });

  it('lets an argument override the engine already chosen', async () => {
    const { info } = await resolveChoice({ engine: 'cuda' }, context({ current: { name: 'cpu', source: 'default' } }));
    expect(info).to.deep.include({ name: 'cuda', source: 'argument' });
  });

  it('reads the real config file from cwd', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-choice-'));
    try {
      await writeFile(join(dir, 'package.json'), '{ "name": "app" }');
      await writeFile(join(dir, 'strata.config.json'), '{ "engine": "cuda", "seed": 9 }');
      const choice = await resolveChoice({ cwd: dir }, { env: {}, readConfig: loadConfig });
      expect(choice).to.deep.equal({ info: { name: 'cuda', source: 'config', file: join(dir, 'strata.config.json'), options: {} }, seed: 9 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('resolveChoice: engine options', () => {
  it("uses the chosen engine's section of the config file", async () => {
    const file: LoadedConfig = { config: { engine: 'cuda', cuda: { device: 2 }, webgpu: { forceFallbackAdapter: true } }, file: FILE };
    expect((await resolveChoice({}, context({ file }))).info.options).to.deep.equal({ device: 2 });
  });

  it('merges argument options over the file, key by key', async () => {
    const file: LoadedConfig = { config: { webgpu: { powerPreference: 'low-power', forceFallbackAdapter: true } }, file: FILE };
    const { info } = await resolveChoice({ engine: 'webgpu', webgpu: { powerPreference: 'high-performance' } }, context({ file }));
    expect(info.options).to.deep.equal({ powerPreference: 'high-performance', forceFallbackAdapter: true });
  });

  it('does not let an explicit undefined in the argument erase a file option', async () => {
    const file: LoadedConfig = { config: { webgpu: { powerPreference: 'low-power' } }, file: FILE };
    const { info } = await resolveChoice({ engine: 'webgpu', webgpu: { powerPreference: undefined } }, context({ file }));
    expect(info.options).to.deep.equal({ powerPreference: 'low-power' });
  });
});

describe('resolveChoice: seed', () => {
  const file: LoadedConfig = { config: { seed: 1 }, file: FILE };

  it('has no seed when nothing sets one', async () => {
    expect(await resolveChoice({}, context())).to.not.have.property('seed');
  });

  it('takes the config seed', async () => {
    expect((await resolveChoice({}, context({ file }))).seed).to.equal(1);
  });

  it('takes STRATA_SEED over the config', async () => {
    expect((await resolveChoice({}, context({ file, env: { STRATA_SEED: '42' } }))).seed).to.equal(42);
  });

  it('takes the argument over STRATA_SEED', async () => {
    expect((await resolveChoice({ seed: 0 }, context({ file, env: { STRATA_SEED: '42' } }))).seed).to.equal(0);
  });

  it('accepts STRATA_SEED up to 2^32 - 1', async () => {
    expect((await resolveChoice({}, context({ env: { STRATA_SEED: '4294967295' } }))).seed).to.equal(4294967295);
  });

  for (const bad of ['abc', '-1', '1.5', '1e3', '0x10', '4294967296']) {
    it(`rejects STRATA_SEED=${bad}, naming the variable and the received value`, async () => {
      const error = await choiceError({}, context({ env: { STRATA_SEED: bad } }));
      expect(error.message).to.equal(
        `Invalid environment variable: STRATA_SEED is "${bad}"; expected an integer from 0 to 4294967295. Fix the value or unset STRATA_SEED.`,
      );
      expect(error).to.include({ key: 'STRATA_SEED', received: bad });
      expect(error.file).to.equal(undefined);
    });
  }

  for (const bad of [-1, 0.5, 2 ** 32, Number.NaN]) {
    it(`rejects the seed argument ${bad}`, async () => {
      const error = await choiceError({ seed: bad }, context());
      expect(error.message).to.equal(
        `Invalid ready() options: "seed" is ${bad}; expected an integer from 0 to 4294967295. Fix the value or leave it out.`,
      );
    });
  }
});

describe('resolveChoice: invalid engine names', () => {
  it('rejects an unknown STRATA_ENGINE, naming the variable, the value and the known engines', async () => {
    const error = await choiceError({}, context({ env: { STRATA_ENGINE: 'gpu' } }));
    expect(error.message).to.equal(
      'Invalid environment variable: STRATA_ENGINE is "gpu"; expected one of "cpu", "webgpu", "cuda". Fix the value or unset STRATA_ENGINE.',
    );
    expect(error).to.include({ key: 'STRATA_ENGINE', received: 'gpu' });
  });

  it('rejects STRATA_ENGINE in the wrong case rather than guessing', async () => {
    const error = await choiceError({}, context({ env: { STRATA_ENGINE: 'CPU' } }));
    expect(error.message).to.contain('STRATA_ENGINE is "CPU"');
  });

  it('rejects an unknown engine argument with the same rule', async () => {
    const error = await choiceError({ engine: 'gpu' }, context());
    expect(error.message).to.equal(
      'Invalid ready() options: "engine" is "gpu"; expected one of "cpu", "webgpu", "cuda". Fix the value or leave it out.',
    );
    expect(error).to.include({ key: 'engine', received: 'gpu' });
  });

  it('rejects unknown ready() options', async () => {
    const error = await choiceError({ engin: 'cpu' } as ReadyOptions, context());
    expect(error.message).to.equal(
      'Invalid ready() options: "engin" is not a known key; a Strata config accepts "engine", "seed", "cpu", "webgpu", "cuda"; remove it or fix its spelling.',
    );
  });

  it('rejects bad engine options in the argument', async () => {
    const error = await choiceError({ engine: 'cuda', cuda: { device: -3 } }, context());
    expect(error.message).to.contain('"cuda.device" is -3; expected a CUDA device index');
  });

  it('validates the argument before reading the config file', async () => {
    let read = false;
    const ctx: ChoiceContext = { env: {}, readConfig: async () => ((read = true), { config: {} }) };
    await choiceError({ engine: 'gpu' }, ctx);
    expect(read).to.equal(false);
  });
});
