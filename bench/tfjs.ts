import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

/**
 * Selects tfjs's plain-JS CPU backend (the comparison point), silencing its one-time advice to
 * install tfjs-node, which would clutter the table.
 *
 * @example
 * const tf = await loadTfjsCpu();
 */
export async function loadTfjsCpu(): Promise<typeof tf> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    await tf.setBackend('cpu');
    await tf.ready();
  } finally {
    console.warn = warn;
  }
  return tf;
}
