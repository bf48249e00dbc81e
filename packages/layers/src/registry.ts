import { StrataError } from '@strata/core';

/** Something that can be written to and rebuilt from a Keras-style `{ className, config }`. */
export interface Serializable {
  /** The Keras class name (`'Adam'`, `'Dense'`, `'GlorotUniform'`), used in saved models. */
  readonly className: string;
  /** Constructor options that rebuild an equivalent object (camelCase keys). */
  getConfig(): Record<string, unknown>;
}

/** How users name a registered thing: a name, a Keras-style `{ className, config }`, or an instance. */
export type Identifier<T> = string | { className: string; config?: Record<string, unknown> } | T;

/** Names match ignoring case and underscores: `categorical_crossentropy` = `categoricalCrossentropy`. */
function normalize(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/**
 * Name-to-factory table of one family (optimizers, losses, initializers, ...), with Keras-style
 * lookup and errors that list what exists.
 *
 * @example
 * const optimizers = new Registry<Optimizer>('optimizer', (x): x is Optimizer => x instanceof Optimizer);
 * optimizers.register('Adam', (config) => new Adam(config), ['adam']);
 * optimizers.get('adam');
 */
export class Registry<T> {
  private readonly factories = new Map<string, { className: string; create: (config: Record<string, unknown>) => T }>();

  constructor(
    readonly kind: string,
    private readonly isInstance: (x: unknown) => x is T,
  ) {}

  /** Registers `className` (and any aliases) with the factory that builds it from a config. */
  register(className: string, create: (config: Record<string, unknown>) => T, aliases: readonly string[] = []): void {
    for (const name of [className, ...aliases]) this.factories.set(normalize(name), { className, create });
  }

  /** The class names registered, sorted. */
  names(): string[] {
    return [...new Set([...this.factories.values()].map((f) => f.className))].sort();
  }

  /** True if `name` (any spelling) is registered. */
  has(name: string): boolean {
    return this.factories.has(normalize(name));
  }

  /** Resolves an identifier to an instance: instances pass through, names and configs are built. */
  get(id: Identifier<T>): T {
    if (this.isInstance(id)) return id;
    if (typeof id === 'string') return this.create(id, {});
    if (id && typeof id === 'object' && typeof (id as { className?: unknown }).className === 'string') {
      const { className, config } = id as { className: string; config?: Record<string, unknown> };
      return this.create(className, config ?? {});
    }
    throw new StrataError(`Expected ${/^[aeiou]/.test(this.kind) ? 'an' : 'a'} ${this.kind}: a name (one of ${this.names().join(', ')}), a { className, config } object, or an instance; received ${describe(id)}.`);
  }

  private create(name: string, config: Record<string, unknown>): T {
    const entry = this.factories.get(normalize(name));
    if (!entry) {
      throw new StrataError(`Unknown ${this.kind} "${name}". Known ${this.kind.endsWith('s') ? `${this.kind}es` : `${this.kind}s`}: ${this.names().join(', ')}.`);
    }
    return entry.create(config);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with keys [${Object.keys(value as object).join(', ')}]`;
  return `${typeof value} ${String(value)}`;
}
