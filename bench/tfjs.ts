import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/**
 * Selects tfjs's plain-JS CPU backend (the comparison point). tfjs prints advice to install
 * tfjs-node on its first tensor under Node; that advice is dropped so it does not clutter the
 * table (the bench compares against the plain-JS backend on purpose).
 *
 * @example
 * const tf = await loadTfjsCpu();
 */
export async function loadTfjsCpu(): Promise<typeof tf> {
  const log = console.log.bind(console), warn = console.warn.bind(console);
  const quiet = (print: (...args: unknown[]) => void) => (...args: unknown[]) => {
    const text = args.join(' ');
    if (!text.includes('tfjs-node') && !/^=+$/.test(text.trim())) print(...args);
  };
  console.log = quiet(log);
  console.warn = quiet(warn);
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}
