/**
 * Reuses GPU buffers by size class, so a training step allocates nothing once it has run once.
 *
 * Sizes are rounded up to a class (multiples of 256 bytes for small buffers, four classes per
 * power of two above 64 KiB: at most 25% slack) so slightly different sizes share buffers.
 */
export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private freeBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly usage: GPUBufferUsageFlags,
    /** Free bytes kept for reuse; beyond this, released buffers are destroyed. */
    private readonly maxFreeBytes = 512 * 1024 * 1024,
  ) {}

  /**
   * A buffer of at least `bytes` bytes (never zero-sized: WebGPU cannot bind those).
   *
   * @example
   * const buffer = pool.acquire(1024);
   */
  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) {
      this.freeBytes -= size;
      return reused;
    }
    return this.device.createBuffer({ size, usage: this.usage });
  }

  /**
   * Returns a buffer for reuse. The caller guarantees that any later write to it is ordered after
   * the work already recorded that reads it (see `CommandRecorder`).
   *
   * @example
   * pool.release(buffer);
   */
  release(buffer: GPUBuffer): void {
    if (this.freeBytes + buffer.size > this.maxFreeBytes) {
      buffer.destroy();
      return;
    }
    const list = this.free.get(buffer.size);
    if (list) list.push(buffer);
    else this.free.set(buffer.size, [buffer]);
    this.freeBytes += buffer.size;
  }

  /** Destroys every pooled buffer. */
  clear(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.freeBytes = 0;
  }
}

/**
 * The size class a request is rounded up to.
 *
 * @example
 * sizeClass(1); // 256
 */
export function sizeClass(bytes: number): number {
  const n = Math.max(bytes, 4);
  if (n <= 65536) return Math.ceil(n / 256) * 256;
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}
