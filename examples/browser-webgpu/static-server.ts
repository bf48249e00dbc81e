// A tiny static server for a bundled site, on 127.0.0.1: a loopback http origin is a secure
// context, which WebGPU requires, and nothing outside this machine can reach it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Site } from './bundle.js';

/** A running server: its base URL and how to stop it. */
export interface Served {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `site` on 127.0.0.1 at `port` (0: any free port). The query string is ignored, so
 * `/?engine=cpu` is the page.
 *
 * @example
 * const { url, close } = await serveSite(await bundleExample());
 * console.log(url); // http://127.0.0.1:40123/
 * await close();
 */
export async function serveSite(site: Site, port = 0): Promise<Served> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = site.get(path);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
