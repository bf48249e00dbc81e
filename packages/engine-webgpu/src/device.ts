import type { WebGpuOptions } from './options.js';

/** A started device and what the engine needs to know about it. */
export interface GpuDevice {
  device: GPUDevice;
  adapter: GPUAdapter;
  /** `navigator.gpu` in browsers, Dawn's `GPU` object in Node. */
  gpu: GPU;
  /** Human-readable adapter description, for errors and `pnpm bench`. */
  description: string;
  /** The adapter emulates a GPU on the CPU (kernels pick tile shapes that suit that). */
  software: boolean;
}

const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/**
 * Dawn objects handed out in Node. Kept for the life of the process: if the `GPU` object is
 * garbage-collected while a device is alive Dawn can crash, and every create/destroy cycle leaks
 * a few megabytes, so one device per option set is shared by every engine in the process.
 */
const nodeDevices = new Map<string, Promise<GpuDevice>>();

/** Thrown when no WebGPU adapter or device can be had; the message says why and what to do. */
export class WebGpuUnavailableError extends Error {
  override readonly name = 'WebGpuUnavailableError';
}

const NODE_FIX =
  'In Node, WebGPU comes from the `webgpu` package (Dawn): it needs a Vulkan driver for a real GPU, or Mesa for the software ' +
  'rasterizer (Debian/Ubuntu: `apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri libegl-dev`).';
const BROWSER_FIX = 'Use a browser with WebGPU (Chrome or Edge 113+, Safari 26+, Firefox 141+) over https or localhost.';

/**
 * Starts (or, in Node, reuses) a WebGPU device: `navigator.gpu` in browsers, the `webgpu` npm
 * package in Node. The device is asked for the adapter's own limits, because the defaults of
 * compatibility mode (128 invocations per workgroup, 16 KiB of workgroup memory) are too small
 * for tiled kernels.
 *
 * @example
 * const { device } = await acquireDevice({ powerPreference: 'high-performance' });
 */
export async function acquireDevice(options: WebGpuOptions = {}): Promise<GpuDevice> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return startDevice(nav.gpu, options, [options.featureLevel ?? 'core', 'compatibility'], BROWSER_FIX);
  if (!inNode) throw new WebGpuUnavailableError(`WebGPU is not available here: navigator.gpu is missing. ${BROWSER_FIX}`);
  const key = JSON.stringify(options);
  let device = nodeDevices.get(key);
  if (!device) {
    device = startNodeDevice(options);
    nodeDevices.set(key, device);
    // A failed start is not cached: the user may fix the cause and call ready() again.
    device.catch(() => nodeDevices.delete(key));
  }
  return device;
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

async function startNodeDevice(options: WebGpuOptions): Promise<GpuDevice> {
  let dawn: DawnModule;
  try {
    const specifier = 'webgpu';
    dawn = (await import(/* @vite-ignore */ specifier)) as DawnModule;
  } catch (error) {
    throw new WebGpuUnavailableError(
      `the \`webgpu\` package (Dawn for Node) could not be loaded: ${(error as Error).message}. Install it with \`pnpm add webgpu\`. ${NODE_FIX}`,
    );
  }
  // GPUBufferUsage, GPUMapMode, ... are browser globals; Dawn ships them separately.
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  // Mesa's EGL must not look for a display server.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const failures: string[] = [];
  if (options.featureLevel !== 'compatibility' && (await mayHaveCoreAdapter())) {
    try {
      return await startDevice(dawn.create([]), options, ['core'], NODE_FIX);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  try {
    return await startDevice(dawn.create(['backend=opengles']), options, ['compatibility'], NODE_FIX);
  } catch (error) {
    failures.push((error as Error).message);
    throw new WebGpuUnavailableError(failures.join(' Then, with the OpenGL ES backend: '));
  }
}

/**
 * False only on Linux machines with no Vulkan loader, where Dawn has no core-mode backend: trying
 * one there costs nothing but prints a "Couldn't load Vulkan" warning on every start.
 */
async function mayHaveCoreAdapter(): Promise<boolean> {
  if (process.platform !== 'linux') return true;
  const fsName = 'node:fs';
  const { existsSync } = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== ''),
    '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib', '/lib/x86_64-linux-gnu', '/lib64',
  ];
  return dirs.some((dir) => existsSync(`${dir}/libvulkan.so.1`));
}

async function startDevice(gpu: GPU, options: WebGpuOptions, featureLevels: string[], fix: string): Promise<GpuDevice> {
  let adapter: GPUAdapter | null = null;
  for (const featureLevel of featureLevels) {
    adapter = await gpu.requestAdapter({ ...options, featureLevel } as GPURequestAdapterOptions);
    if (adapter) break;
  }
  if (!adapter) {
    throw new WebGpuUnavailableError(`no WebGPU adapter was found (requested ${JSON.stringify(options)}, feature levels ${featureLevels.join(', ')}). ${fix}`);
  }
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupSizeY: limits.maxComputeWorkgroupSizeY,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
    },
  });
  return { device, adapter, gpu, description: describeAdapter(adapter), software: isSoftwareAdapter(adapter) };
}

/**
 * The adapter's vendor, architecture, device and description in one line, for errors, logs and
 * `pnpm bench` (which checks that two libraries ran on the same adapter).
 *
 * @example
 * describeAdapter(adapter); // 'llvmpipe-llvm-15-0-6-256-bits- OpenGL version OpenGL ES 3.2 Mesa 22.3.6'
 */
export function describeAdapter(adapter: GPUAdapter): string {
  // `info` is newer than some typings and some browsers; older ones only had requestAdapterInfo().
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  return [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s).join(' ') || 'unknown adapter';
}

/**
 * Whether an adapter emulates a GPU on the CPU: the fallback adapter, or one whose name says so
 * (Dawn on Mesa reports `device: 'llvmpipe-llvm-15-0-6-256-bits-'`).
 *
 * @example
 * isSoftwareAdapter(adapter); // true on llvmpipe
 */
export function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  // lib.dom's GPUAdapter type predates `info`; Dawn and current browsers have it.
  const info = (adapter as { info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; device?: string; description?: string } })?.info;
  if (!info) return false;
  if (info.isFallbackAdapter) return true;
  return /llvmpipe|lavapipe|softpipe|swiftshader|basic render driver/i.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}
