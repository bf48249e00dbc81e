// Bundles the page with esbuild's JS API, in memory: main.ts and everything it imports become
// one ES module for browsers, served beside index.html. Workspace packages resolve to their
// sources ("strata-source") and strata to its browser entry (the "browser" condition).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A file to serve: its bytes and content type, by URL path (`/main.js`). */
export type Site = Map<string, { body: Uint8Array; type: string }>;

/**
 * Builds the example into memory: `/` and `/index.html` (the page) and `/main.js` (the bundle).
 *
 * @example
 * const site = await bundleExample();
 * site.get('/main.js')!.body.length; // about 1.5 MB, unminified
 */
export async function bundleExample(): Promise<Site> {
  const result = await build({
    entryPoints: [join(here, 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    conditions: ['strata-source'],
    sourcemap: 'inline',
    write: false,
    outdir: here,
    logLevel: 'warning',
  });
  const page = { body: readFileSync(join(here, 'index.html')), type: 'text/html; charset=utf-8' };
  const site: Site = new Map([['/', page], ['/index.html', page]]);
  for (const file of result.outputFiles) {
    site.set(`/${file.path.slice(here.length + 1)}`, { body: file.contents, type: 'text/javascript; charset=utf-8' });
  }
  return site;
}
