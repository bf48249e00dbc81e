// A minimal protobuf encoder: only what the ONNX messages need (varints, 64-bit ints, floats,
// strings, bytes, nested messages, packed repeated numbers). Strata writes ONNX files without a
// protobuf dependency; reading them is the runtime's job.

/** Protobuf wire types used here. */
const VARINT = 0;
const FIXED32 = 5;
const LENGTH_DELIMITED = 2;

const TWO_64 = 1n << 64n;
const textEncoder = new TextEncoder();
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Accumulates one protobuf message as a list of byte chunks, so nested messages and large byte
 * fields (weights) are linked rather than copied until `finish()` joins everything once.
 *
 * @example
 * const w = new ProtoWriter();
 * w.string(1, 'name');
 * w.int(2, 7);
 * const bytes = w.finish();
 */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  /** Small writes (tags, varints) collect here until a chunk is appended. */
  private pending: number[] = [];
  private size = 0;

  /** The number of bytes written so far. */
  get length(): number {
    return this.size + this.pending.length;
  }

  /** A non-negative integer (uint64, enum, bool) as a varint field. */
  uint(field: number, value: number | bigint): this {
    this.tag(field, VARINT);
    this.varint(value);
    return this;
  }

  /** A signed int32/int64 as a varint field (negative values take ten bytes, as protobuf specifies). */
  int(field: number, value: number | bigint): this {
    this.tag(field, VARINT);
    this.signedVarint(value);
    return this;
  }

  /** A 32-bit float field. */
  float(field: number, value: number): this {
    this.tag(field, FIXED32);
    this.fixed32(value);
    return this;
  }

  /** A UTF-8 string field. */
  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(value.length);
    this.append(value);
    return this;
  }

  /** A nested message field; `child` is linked, not copied, and must not be written to afterwards. */
  message(field: number, child: ProtoWriter): this {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(child.length);
    child.flush();
    for (const part of child.parts) this.append(part);
    return this;
  }

  /** A packed repeated int32/int64 field. */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    if (values.length === 0) return this;
    const body = new ProtoWriter();
    for (const v of values) body.signedVarint(v);
    this.tag(field, LENGTH_DELIMITED);
    this.varint(body.length);
    body.flush();
    for (const part of body.parts) this.append(part);
    return this;
  }

  /** A packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): this {
    if (values.length === 0) return this;
    return this.bytes(field, littleEndianBytes(Float32Array.from(values)));
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.flush();
    if (this.parts.length === 1) return this.parts[0]!;
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number | bigint): void {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
      let v = value;
      while (v >= 0x80) {
        this.pending.push((v % 0x80) | 0x80);
        v = Math.floor(v / 0x80);
      }
      this.pending.push(v);
      return;
    }
    let v = BigInt(value);
    if (v < 0n || v >= TWO_64) throw new RangeError(`protobuf varint out of range: ${String(value)}`);
    while (v >= 0x80n) {
      this.pending.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pending.push(Number(v));
  }

  private signedVarint(value: number | bigint): void {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`protobuf int64 must be an integer: ${value}`);
    const v = BigInt(value);
    this.varint(v < 0n ? v + TWO_64 : v);
  }

  private fixed32(value: number): void {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.pending.push(...bytes);
  }

  private append(bytes: Uint8Array): void {
    this.flush();
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.parts.push(Uint8Array.from(this.pending));
    this.size += this.pending.length;
    this.pending = [];
  }
}

/**
 * The bytes of a typed array in little-endian order (protobuf's `raw_data` layout), without a
 * copy on little-endian hosts.
 *
 * @example
 * littleEndianBytes(new Float32Array([1])); // Uint8Array [0, 0, 128, 63]
 */
export function littleEndianBytes(values: Float32Array | Int32Array | BigInt64Array | Uint8Array): Uint8Array {
  if (values instanceof Uint8Array) return values;
  if (littleEndian) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.byteLength);
  const view = new DataView(out.buffer);
  values.forEach((v: number | bigint, i: number) => {
    if (values instanceof Float32Array) view.setFloat32(i * 4, v as number, true);
    else if (values instanceof Int32Array) view.setInt32(i * 4, v as number, true);
    else view.setBigInt64(i * 8, v as bigint, true);
  });
  return out;
}
