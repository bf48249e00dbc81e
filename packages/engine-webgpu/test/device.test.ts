import { expect } from 'chai';
import { acquireDevice, WebGpuUnavailableError } from '../src/device.js';
import { sharedEngine } from './shared-engine.js';

/** Runs `fn` with a stand-in `navigator.gpu`, as a browser would provide. */
async function withNavigatorGpu<T>(gpu: unknown, fn: () => Promise<T>): Promise<T> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  try {
    return await fn();
  } finally {
    if (descriptor) Object.defineProperty(globalThis, 'navigator', descriptor);
    else delete (globalThis as { navigator?: unknown }).navigator;
  }
}

describe('webgpu device', () => {
  it('starts on this machine and names its adapter', async () => {
    const engine = await sharedEngine();
    expect(engine.name).to.equal('webgpu');
    expect(engine.capabilities.readSync).to.equal(false);
    expect(engine.adapterDescription).to.be.a('string').and.not.equal('');
  });

  it('says why and what to do when the browser offers no adapter', async () => {
    const requested: unknown[] = [];
    const gpu = { requestAdapter: async (options: unknown) => (requested.push(options), null) };
    let error: unknown;
    await withNavigatorGpu(gpu, () => acquireDevice({ powerPreference: 'low-power' }).catch((e) => (error = e)));
    expect(error).to.be.instanceOf(WebGpuUnavailableError);
    const message = (error as Error).message;
    expect(message).to.match(/no WebGPU adapter was found/);
    expect(message).to.match(/"powerPreference":"low-power"/);
    expect(message).to.match(/Chrome or Edge/);
    // Both feature levels were tried, with the user's options passed through.
    expect(requested).to.deep.equal([
      { powerPreference: 'low-power', featureLevel: 'core' },
      { powerPreference: 'low-power', featureLevel: 'compatibility' },
    ]);
  });

  it('reports a device the browser refuses to start', async () => {
    const adapter = {
      limits: {}, info: {},
      requestDevice: async () => {
        throw new Error('device creation refused');
      },
    };
    const gpu = { requestAdapter: async () => adapter };
    let error: unknown;
    await withNavigatorGpu(gpu, () => acquireDevice().catch((e) => (error = e)));
    expect((error as Error).message).to.match(/device creation refused/);
  });
});
