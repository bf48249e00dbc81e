import { Layer } from '../engine/layer.js';
import { Registry } from '../registry.js';

/**
 * Every layer class by its Keras class name, so configs (and saved models) can be turned back
 * into layers. Each layer group's index registers its classes.
 *
 * @example
 * layerRegistry.get({ className: 'Dense', config: { units: 3 } });
 */
export const layerRegistry = new Registry<Layer>('layer', (x): x is Layer => x instanceof Layer);

/**
 * Registers a layer class (built-in or custom) under its static `className`.
 *
 * @example
 * registerLayer(MyLayer);
 */
export function registerLayer<A>(cls: { className: string; new (args: A): Layer }): void {
  layerRegistry.register(cls.className, (config) => new cls(config as A));
}
