/**
 * TF.js's WebGPU backend (tfjs-backend-webgpu) in Node, on the same Dawn adapter as Strata's WebGPU
 * engine, so the two libraries' figures compare kernels and dispatch, not hardware.
 *
 * What it takes on Node 20 with Dawn (`webgpu@0.6.2`):
 * - Node has no `navigator`, and tfjs-backend-webgpu registers its backend at import time only when
 *   `navigator.gpu` exists, so the stand-in must be installed before the package is imported.
 * - The stand-in wraps the very `GPU` object Strata's engine holds: Dawn wants one `GPU` object per
 *   process, and a second `create()` could pick another backend (Vulkan vs OpenGL ES).
 * - TF.js asks for `requestAdapter({ powerPreference: 'high-performance' })` with no feature level.
 *   On Mesa's software rasterizer Dawn only offers an OpenGL ES adapter in compatibility mode, and a
 *   request without `featureLevel: 'compatibility'` returns null, after which TF.js fails with
 *   "Cannot read properties of null (reading 'features')". The stand-in asks for the feature levels
 *   Strata's engine tries (core, then compatibility) with Strata's adapter options.
 * - TF.js's device asks for the adapter's maxComputeWorkgroupStorageSize,
 *   maxComputeWorkgroupsPerDimension, maxStorageBufferBindingSize, maxBufferSize,
 *   maxComputeWorkgroupSizeX and maxComputeInvocationsPerWorkgroup (and the timestamp-query feature
 *   where offered), but not maxStorageBuffersPerShaderStage or maxComputeWorkgroupSizeY, which stay
 *   at compatibility-mode defaults (8 and 128 on llvmpipe). Its kernels run within those: they are
 *   left as TF.js chose them, since that is what a browser user of TF.js would get.
 */
import type * as TF from '@tensorflow/tfjs-core';
import { describeAdapter } from '../packages/engine-webgpu/src/device.js';

/** What loading TF.js's WebGPU backend found out, for the bench's header. */
export interface TfjsWebGpuInfo {
  /** The adapter TF.js got, described as Strata's engine describes its own. */
  adapterDescription: string;
  /** The feature level the stand-in `navigator.gpu` had to ask for. */
  featureLevel: string;
  /** What TF.js put in `requestDevice()`: its required limits and features. */
  requestedLimits: Record<string, number>;
  requestedFeatures: string[];
  /** Limits of the device TF.js runs on that it did not ask for and that matter to compute kernels. */
  defaultedLimits: Record<string, number>;
}

/** The feature levels Strata's engine tries in order; TF.js's adapter must come from the same one. */
const FEATURE_LEVELS = ['core', 'compatibility'] as const;


/**
 * Makes `navigator.gpu` a stand-in over `gpu` (Dawn's `GPU` object that Strata's engine already
 * uses), then loads tfjs-backend-webgpu and makes it TF.js's active backend. Throws with TF.js's
 * own error text when the backend cannot start on this adapter.
 *
 * `adapterOptions` are the options Strata's engine passed to `requestAdapter` (its `webgpu` config
 * section); they replace TF.js's own `powerPreference`, so both libraries pick the same adapter on
 * machines with several.
 *
 * @example
 * const { gpu } = await acquireDevice({});
 * const info = await loadTfjsWebGpu(tf, gpu, {});
 * tf.getBackend(); // 'webgpu'
 */
export async function loadTfjsWebGpu(
  tf: typeof TF, gpu: GPU, adapterOptions: GPURequestAdapterOptions = {},
): Promise<TfjsWebGpuInfo> {
  let featureLevel = '';
  let adapterDescription = '';
  let deviceDescriptor: GPUDeviceDescriptor = {};
  const standIn = {
    async requestAdapter(tfjsOptions?: GPURequestAdapterOptions): Promise<GPUAdapter | null> {
      for (const level of FEATURE_LEVELS) {
        const adapter = await gpu.requestAdapter({ ...tfjsOptions, ...adapterOptions, featureLevel: level } as GPURequestAdapterOptions);
        if (!adapter) continue;
        featureLevel = level;
        adapterDescription = describeAdapter(adapter);
        // Recorded so the bench can say which limits TF.js asked for.
        const requestDevice = adapter.requestDevice.bind(adapter);
        adapter.requestDevice = (descriptor?: GPUDeviceDescriptor) => {
          deviceDescriptor = descriptor ?? {};
          return requestDevice(descriptor);
        };
        return adapter;
      }
      return null;
    },
    getPreferredCanvasFormat: (): GPUTextureFormat => gpu.getPreferredCanvasFormat(),
    get wgslLanguageFeatures() {
      return gpu.wgslLanguageFeatures;
    },
  };
  installNavigatorGpu(standIn as unknown as GPU);

  await import('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu')) {
    throw new Error(
      'tfjs-backend-webgpu did not register its backend: it was imported before navigator.gpu existed ' +
      '(import it only through loadTfjsWebGpu).',
    );
  }
  // setBackend reports a failed start with console.warn and returns false; keep the text for the error.
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
  };
  let started: boolean;
  try {
    started = await tf.setBackend('webgpu');
  } finally {
    console.warn = warn;
  }
  if (!started) throw new Error(`tfjs-backend-webgpu could not start: ${warnings.join(' ') || 'no reason given'}`);
  await tf.ready();

  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const requestedLimits = { ...(deviceDescriptor.requiredLimits ?? {}) } as Record<string, number>;
  const defaultedLimits: Record<string, number> = {};
  for (const name of ['maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ', 'maxUniformBufferBindingSize'] as const) {
    if (!(name in requestedLimits)) defaultedLimits[name] = device.limits[name];
  }
  return {
    adapterDescription,
    featureLevel,
    requestedLimits,
    // TF.js 4.22 pushes 'bgra8unorm-storage' wrapped in an array; flatten for printing.
    requestedFeatures: [...(deviceDescriptor.requiredFeatures ?? [])].flat().map(String),
    defaultedLimits,
  };
}

/**
 * Sets `navigator.gpu`. Node 20 has no `navigator` (it gets one, without `gpu`, in Node 21), so
 * either a whole `navigator` is defined or `gpu` is added to the existing one.
 */
function installNavigatorGpu(gpu: GPU): void {
  const existing = (globalThis as { navigator?: object }).navigator;
  if (existing) Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true, writable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}
