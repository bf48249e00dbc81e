import { z } from 'zod';

// zod schemas of the Keras JSON topology (`modelTopology` / `model_config`), in the forms TF.js
// writes and reads, and in those of the Keras files TF.js's converter carries (Keras 2 lists of
// inbound nodes; Keras 3 `{ args, kwargs }` nodes). They check structure and types only; what
// each layer's options mean is checked by the layer itself when it is built.

/** The most dims a saved shape may have. */
export const MAX_SHAPE_RANK = 32;
/** The most layers (or nodes, or references) one list of a topology may hold. */
export const MAX_TOPOLOGY_ITEMS = 100_000;
/** The largest dim or index a topology may name (int32, as TF.js shapes). */
const MAX_INDEX = 2 ** 31 - 1;

const index = z.number().int().min(0).max(MAX_INDEX);
const className = z.string().min(1).max(256);

/** A shape: sizes or `null` for unknown dims. */
export const shapeSchema = z.array(index.nullable()).max(MAX_SHAPE_RANK);

/** Keras 3's dtype policy object (`{ class_name: 'DTypePolicy', config: { name: 'float32' } }`). */
const dtypePolicySchema = z.looseObject({ config: z.looseObject({ name: z.string() }) });

/** The keys every layer config may carry, checked before the layer reads the rest. */
export const commonConfigSchema = z.looseObject({
  name: z.string().min(1).max(1024).optional(),
  trainable: z.boolean().nullish(),
  batch_input_shape: shapeSchema.nullish(),
  batch_shape: shapeSchema.nullish(),
  input_shape: shapeSchema.nullish(),
  batch_size: index.nullish(),
  dtype: z.union([z.string(), dtypePolicySchema]).nullish(),
});

/** A layer of a Sequential config: `{ class_name, config }`. */
export const layerEntrySchema = z.looseObject({
  class_name: className,
  config: z.record(z.string(), z.unknown()),
});

/** A layer of a Functional config: with its name and its calls (`inbound_nodes`). */
export const functionalLayerSchema = z.looseObject({
  class_name: className,
  config: z.record(z.string(), z.unknown()),
  name: z.string().min(1).max(1024).optional(),
  inbound_nodes: z.array(z.unknown()).max(MAX_TOPOLOGY_ITEMS),
});

/** `[layerName, nodeIndex, tensorIndex]`: one output of one layer call. */
export const tensorRefSchema = z.tuple([z.string().min(1), index, index]);

/** One input of a Keras 2 / TF.js node: `[layerName, nodeIndex, tensorIndex, kwargs?]`. */
export const nodeInputSchema = z.tuple([z.string().min(1), index, index], z.unknown());

/** A Keras 2 / TF.js node: its inputs, each carrying the call's kwargs. */
export const listNodeSchema = z.array(z.unknown()).min(1).max(MAX_TOPOLOGY_ITEMS);

/** A Keras 3 node: the call's positional and keyword arguments. */
export const dictNodeSchema = z.looseObject({
  args: z.array(z.unknown()).max(MAX_TOPOLOGY_ITEMS),
  kwargs: z.record(z.string(), z.unknown()).nullish(),
});

/** A Keras 3 symbolic tensor inside a node's arguments. */
export const kerasTensorSchema = z.looseObject({
  class_name: z.literal('__keras_tensor__'),
  config: z.looseObject({ keras_history: tensorRefSchema }),
});

/** `input_layers` / `output_layers`: a list of references (Keras 3 also writes one bare reference, or an object of them). */
export const tensorRefsSchema = z.union([
  z.array(tensorRefSchema).min(1).max(MAX_TOPOLOGY_ITEMS),
  tensorRefSchema,
  z.record(z.string(), tensorRefSchema),
]);

/** The config of a Functional model (`class_name` `'Model'` or `'Functional'`). */
export const functionalConfigSchema = z.looseObject({
  name: z.string().min(1).max(1024).optional(),
  trainable: z.boolean().nullish(),
  layers: z.array(z.unknown()).min(1).max(MAX_TOPOLOGY_ITEMS),
  input_layers: tensorRefsSchema,
  output_layers: tensorRefsSchema,
});

/** The config of a Sequential model: `{ name, layers }`, or (older Keras) the bare list of layers. */
export const sequentialConfigSchema = z.union([
  z.looseObject({
    name: z.string().min(1).max(1024).optional(),
    trainable: z.boolean().nullish(),
    layers: z.array(z.unknown()).max(MAX_TOPOLOGY_ITEMS),
  }),
  z.array(z.unknown()).max(MAX_TOPOLOGY_ITEMS),
]);

/** A model: `{ class_name, config }` (TF.js adds `keras_version` and `backend`). */
export const modelEntrySchema = z.looseObject({
  class_name: className,
  config: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]),
});

export type TensorRefJson = z.infer<typeof tensorRefSchema>;
