import { registerLayer } from '../layer-registry.js';
import { Bidirectional, type BidirectionalArgs, type BidirectionalMergeMode } from './bidirectional.js';
import { TimeDistributed, type TimeDistributedArgs } from './time-distributed.js';

export { Wrapper, type WrappedLayer } from './wrapper.js';
export { Bidirectional, type BidirectionalArgs, type BidirectionalMergeMode, TimeDistributed, type TimeDistributedArgs };

registerLayer(Bidirectional);
registerLayer(TimeDistributed);

/**
 * Runs a recurrent layer in both directions and merges the results.
 *
 * @example
 * layers.bidirectional({ layer: layers.lstm({ units: 8, returnSequences: true }), mergeMode: 'sum' });
 */
export function bidirectional(args: BidirectionalArgs): Bidirectional {
  return new Bidirectional(args);
}

/**
 * Applies a layer to every time step, sharing its weights.
 *
 * @example
 * layers.timeDistributed({ layer: layers.dense({ units: 8 }) });
 */
export function timeDistributed(args: TimeDistributedArgs): TimeDistributed {
  return new TimeDistributed(args);
}
