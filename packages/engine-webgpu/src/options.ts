/**
 * Options of the WebGPU engine: what `navigator.gpu.requestAdapter()` takes, as set in the
 * `webgpu` section of strata.config.json or passed to `ready({ engine: 'webgpu', webgpu: {...} })`.
 */
export interface WebGpuOptions {
  /** Which adapter to prefer when there are several (laptops: integrated vs discrete). */
  powerPreference?: 'low-power' | 'high-performance';
  /** Ask for the browser's or Dawn's software fallback adapter. */
  forceFallbackAdapter?: boolean;
  /**
   * `core` (default where available) or `compatibility` (OpenGL ES class devices). In Node the
   * engine tries core adapters first and falls back to Dawn's OpenGL ES backend in compatibility
   * mode, which is how it runs on Mesa's software rasterizer.
   */
  featureLevel?: 'core' | 'compatibility';
}
