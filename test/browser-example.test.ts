// The browser example (examples/browser-webgpu) as a user sees it: bundled, served from
// 127.0.0.1 and opened in headless Chromium (Debian's, whose SwiftShader gives a software WebGPU
// adapter). The page trains, and we check its numbers and a screenshot of its loss curve.
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { bundleExample } from '../examples/browser-webgpu/bundle.js';
import { CURVE_COLOR } from '../examples/browser-webgpu/loss-plot.js';
import type { BrowserResult } from '../examples/browser-webgpu/main.js';
import { serveSite, type Served } from '../examples/browser-webgpu/static-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** WebGPU is behind a flag on Linux; the rest keep a root, offline, first-run browser quiet. */
const FLAGS = [
  '--enable-unsafe-webgpu', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const EPOCHS = 30;

type Trained = Extract<BrowserResult, { engine: string }>;

/** Where the curve is in a PNG: how many pixels have its colour, and its leftmost and rightmost points. */
interface CurveTrace {
  pixels: number;
  first: { x: number; y: number };
  last: { x: number; y: number };
  width: number;
  height: number;
}

/**
 * Decodes `png` in the page (the browser has the PNG decoder we lack) and finds the pixels of the
 * curve's colour. Each column's point is the mean height of its curve pixels.
 */
async function traceCurve(page: Page, png: Buffer): Promise<CurveTrace> {
  const rgb = [1, 3, 5].map((i) => parseInt(CURVE_COLOR.slice(i, i + 2), 16));
  return page.evaluate(async ({ base64, rgb }) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    let pixels = 0;
    const columns: { x: number; y: number }[] = [];
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let count = 0;
      for (let y = 0; y < height; y++) {
        const i = (y * width + x) * 4;
        // Anti-aliased edges blend toward white; the line's core stays within this distance.
        if (Math.abs(data[i]! - rgb[0]!) + Math.abs(data[i + 1]! - rgb[1]!) + Math.abs(data[i + 2]! - rgb[2]!) < 60) {
          sum += y;
          count++;
        }
      }
      pixels += count;
      if (count > 0) columns.push({ x, y: sum / count });
    }
    const none = { x: -1, y: -1 };
    return { pixels, first: columns[0] ?? none, last: columns.at(-1) ?? none, width, height };
  }, { base64: png.toString('base64'), rgb });
}

describe('browser example in headless Chromium', function () {
  this.timeout(120_000);
  let served: Served | undefined;
  let context: BrowserContext | undefined;
  let profile: string | undefined;
  let shots = '';
  const trained: Partial<Record<string, Trained>> = {};

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: no Chromium at ${CHROMIUM}; apt-get install -y chromium (or set CHROMIUM_PATH)`);
      this.skip();
    }
    const started = Date.now();
    served = await serveSite(await bundleExample());
    const bundled = Date.now();
    // A fresh profile per run, so no cached page or GPU state from an earlier run is reused.
    profile = mkdtempSync(join(tmpdir(), 'strata-chromium-'));
    // Screenshots are kept after the run, for a person to look at.
    shots = mkdtempSync(join(tmpdir(), 'strata-browser-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    console.log(`      bundled in ${bundled - started} ms, Chromium started in ${Date.now() - bundled} ms`);
  });

  after(async () => {
    await context?.close();
    await served?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens the page on `engine`, waits for training to end, and checks what every engine must show. */
  async function train(engine: string): Promise<Trained> {
    const page = await context!.newPage();
    const log: string[] = [];
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.push(`page error: ${e.message}`));
    const started = Date.now();
    await page.goto(`${served!.url}?engine=${engine}`);
    await page.waitForFunction(() => window.strataResult?.done, undefined, { timeout: 100_000 });
    const result = (await page.evaluate(() => window.strataResult))!;
    if ('error' in result) expect.fail(`the page failed on ${engine}: ${result.error}\n${log.join('\n')}`);
    console.log(`      ${engine}: ${EPOCHS} epochs in ${result.seconds.toFixed(1)} s in the page (${Date.now() - started} ms with loading)`);

    expect(result.engine).to.equal(engine);
    expect(result.losses).to.have.length(EPOCHS);
    expect(result.losses.at(-1)!, 'final loss against the first epoch').to.be.below(result.losses[0]! / 3);
    expect(result.accuracy, 'held-out accuracy').to.be.at.least(0.9);
    expect(result.liveTensors, 'tensors left alive in the page').to.equal(0);
    expect(await page.locator('#status').textContent()).to.contain('held-out accuracy');

    const file = join(shots, `browser-example-${engine}.png`);
    await page.screenshot({ path: file });
    console.log(`      screenshot: ${file}`);
    const curve = await traceCurve(page, await page.locator('#loss').screenshot());
    expect(curve.pixels, 'pixels of the curve colour').to.be.above(300);
    expect(curve.last.x - curve.first.x, 'horizontal extent of the curve').to.be.above(curve.width * 0.8);
    // Canvas y grows downward: a falling loss ends lower on screen than it starts.
    expect(curve.last.y - curve.first.y, 'drop of the curve, in pixels').to.be.above(curve.height * 0.5);
    await page.close();
    trained[engine] = result;
    return result;
  }

  it('?engine=cpu trains the two-moons MLP and draws its falling loss', async () => {
    await train('cpu');
  });

  it('trains on the webgpu engine: loss falls, held-out accuracy >= 0.9, the screenshot shows the curve', async () => {
    const gpu = await train('webgpu');
    const cpu = trained.cpu;
    // Same seed, same Philox stream: both engines start from the same weights and batches.
    if (cpu) expect(gpu.losses[0]!, 'first-epoch loss, webgpu against cpu').to.be.closeTo(cpu.losses[0]!, 1e-3);
  });
});
