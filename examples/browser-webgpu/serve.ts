// `pnpm example browser-webgpu`: bundles the page and serves it until Ctrl-C. The port is $PORT,
// else 8080, else any free one.
import { bundleExample } from './bundle.js';
import { serveSite, type Served } from './static-server.js';

const site = await bundleExample();
const wanted = Number(process.env.PORT ?? 8080);
let served: Served;
try {
  served = await serveSite(site, wanted);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || process.env.PORT) throw error;
  served = await serveSite(site, 0);
}
console.log(`Open ${served.url} in a browser with WebGPU (Chrome or Edge 113+), or ${served.url}?engine=cpu for the cpu engine.`);
console.log('Serving until Ctrl-C.');
