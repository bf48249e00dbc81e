/**
 * The shape of a Strata config, as one zod schema shared by config files, `ready()` options and
 * environment variables, so every source is checked by the same rules and reports the same way.
 */
import { z } from 'zod';

/** The engines Strata knows, in the order messages list them. */
export const ENGINE_NAMES = ['cpu', 'webgpu', 'cuda'] as const;

/** The name of an engine: `cpu`, `webgpu` or `cuda`. */
export type EngineName = (typeof ENGINE_NAMES)[number];

/** The engine used when no argument, environment variable or config file names one. */
export const DEFAULT_ENGINE: EngineName = 'cpu';

/** Seeds are 32-bit because core's counter-based generator keys on a 32-bit word. */
export const MAX_SEED = 2 ** 32 - 1;

const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

/**
 * Zod's own messages ("Invalid option") do not say what would have been accepted, so each field
 * carries the phrase our errors print after the received value.
 */
const expecting = (phrase: string) => ({ error: () => `expected ${phrase}` });

/**
 * A strict object whose issues name the keys it does accept, so a misspelt key is easy to fix.
 * The message is completed with the offending key by `describeIssues`.
 */
function strictSection<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        return known.length === 0
          ? `${what} takes no options; remove it`
          : `${what} accepts ${quoted(known)}; remove it or fix its spelling`;
      }
      return known.length === 0 ? 'expected an empty object {}' : `expected an object with any of ${quoted(known)}`;
    },
  });
}

/** The engine name, as a config value, a `ready()` option or `STRATA_ENGINE`. */
export const engineNameSchema = z.enum(ENGINE_NAMES, expecting(`one of ${quoted(ENGINE_NAMES)}`));

/** A seed for core's random generator. */
export const seedSchema = z
  .int(expecting(`an integer from 0 to ${MAX_SEED}`))
  .min(0, expecting(`an integer from 0 to ${MAX_SEED}`))
  .max(MAX_SEED, expecting(`an integer from 0 to ${MAX_SEED}`));

/** A seed as written in `STRATA_SEED`: decimal digits only, so "1e3" or "0x10" are not guessed at. */
export const envSeedSchema = z
  .string()
  .regex(/^\d+$/, expecting(`an integer from 0 to ${MAX_SEED}`))
  .transform(Number)
  .pipe(seedSchema);

/** Options of the CPU engine (it has none yet; the section exists so configs can be uniform). */
export const cpuOptionsSchema = strictSection({}, 'the cpu engine');

const POWER_PREFERENCES = ['low-power', 'high-performance'] as const;
const FEATURE_LEVELS = ['core', 'compatibility'] as const;

/** Options passed to `navigator.gpu.requestAdapter()` by the WebGPU engine. */
export const webgpuOptionsSchema = strictSection(
  {
    powerPreference: z.enum(POWER_PREFERENCES, expecting(`one of ${quoted(POWER_PREFERENCES)}`)).optional(),
    forceFallbackAdapter: z.boolean(expecting('true or false')).optional(),
    featureLevel: z.enum(FEATURE_LEVELS, expecting(`one of ${quoted(FEATURE_LEVELS)}`)).optional(),
  },
  'the webgpu engine',
);

/** Options of the CUDA engine. */
export const cudaOptionsSchema = strictSection(
  {
    device: z
      .int(expecting('a CUDA device index (an integer, 0 or more)'))
      .min(0, expecting('a CUDA device index (an integer, 0 or more)'))
      .optional(),
  },
  'the cuda engine',
);

/**
 * A whole Strata config. Every key is optional; absent keys fall back to the next source
 * (see `ready()`), so the schema applies no defaults itself: a default would hide whether the file
 * set the key.
 */
export const strataConfigSchema = strictSection(
  {
    engine: engineNameSchema.optional(),
    seed: seedSchema.optional(),
    cpu: cpuOptionsSchema.optional(),
    webgpu: webgpuOptionsSchema.optional(),
    cuda: cudaOptionsSchema.optional(),
  },
  'a Strata config',
);

/** A validated Strata config, as read from a file or given to `ready()`. */
export type StrataConfig = z.infer<typeof strataConfigSchema>;
export type CpuOptions = z.infer<typeof cpuOptionsSchema>;
export type WebgpuOptions = z.infer<typeof webgpuOptionsSchema>;
export type CudaOptions = z.infer<typeof cudaOptionsSchema>;

/** Each engine's options, by engine name. */
export interface EngineOptionsByName {
  cpu: CpuOptions;
  webgpu: WebgpuOptions;
  cuda: CudaOptions;
}

/**
 * What leaving a key out means, for the "use the default" part of messages. Keys not listed have
 * no single default worth naming.
 */
export const DEFAULT_DESCRIPTIONS: Readonly<Record<string, string>> = {
  engine: DEFAULT_ENGINE,
  seed: "core's default seed",
  'webgpu.powerPreference': "the adapter's choice",
  'webgpu.forceFallbackAdapter': 'false',
  'webgpu.featureLevel': '"core", falling back to "compatibility"',
  'cuda.device': '0',
};
