/**
 * Streaming input to xxhash128 (hash-wasm) for the canonical serialisation, and a pool of
 * hashers so that nested digests and concurrent walks each get their own hash state.
 */
import { createXXHash128, type IHasher } from "hash-wasm";

const SCRATCH_BYTES = 64 * 1024;
export const DIGEST_BYTES = 16;
/** Max idle sinks kept for reuse. Creating one instantiates a WebAssembly module, which costs far more than hashing a small value. */
const MAX_IDLE_SINKS = 8;

/** Buffers small writes and passes large byte runs straight to the hasher, which copies them in chunks. */
export class HashSink {
  private readonly hasher: IHasher;
  private readonly scratch = new Uint8Array(SCRATCH_BYTES);
  private readonly view = new DataView(this.scratch.buffer);
  private used = 0;
  byteCount = 0;

  constructor(hasher: IHasher) {
    this.hasher = hasher;
  }

  reset(): void {
    this.hasher.init();
    this.used = 0;
    this.byteCount = 0;
  }

  tag(tag: number): void {
    this.reserve(1);
    this.scratch[this.used] = tag;
    this.advance(1);
  }

  /** Writes a length or count as 64 bits, little-endian, so no size needs a limit below 2^53. */
  length(value: number): void {
    this.reserve(8);
    this.view.setUint32(this.used, value >>> 0, true);
    this.view.setUint32(this.used + 4, Math.floor(value / 2 ** 32), true);
    this.advance(8);
  }

  /** Writes the IEEE 754 bits, so -0 and 0 differ. Every NaN is written as the one canonical quiet NaN. */
  float(value: number): void {
    this.reserve(8);
    if (Number.isNaN(value)) {
      this.view.setUint32(this.used, 0, true);
      this.view.setUint32(this.used + 4, 0x7ff80000, true);
    } else {
      this.view.setFloat64(this.used, value, true);
    }
    this.advance(8);
  }

  /** Writes the length in UTF-16 code units, then the code units, so lone surrogates stay distinct. */
  string(value: string): void {
    this.length(value.length);
    let index = 0;
    while (index < value.length) {
      this.reserve(2);
      const end = Math.min(value.length, index + ((SCRATCH_BYTES - this.used) >> 1));
      for (; index < end; index += 1) {
        const unit = value.charCodeAt(index);
        this.scratch[this.used] = unit & 0xff;
        this.scratch[this.used + 1] = unit >> 8;
        this.used += 2;
      }
    }
    this.byteCount += value.length * 2;
  }

  bytes(bytes: Uint8Array): void {
    if (bytes.byteLength <= SCRATCH_BYTES - this.used) {
      this.scratch.set(bytes, this.used);
      this.used += bytes.byteLength;
    } else {
      this.flush();
      this.hasher.update(bytes);
    }
    this.byteCount += bytes.byteLength;
  }

  digestHex(): string {
    this.flush();
    return this.hasher.digest("hex");
  }

  digestBinary(): Uint8Array {
    this.flush();
    return this.hasher.digest("binary");
  }

  private advance(count: number): void {
    this.used += count;
    this.byteCount += count;
  }

  private reserve(count: number): void {
    if (this.used + count > SCRATCH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.used === 0) return;
    this.hasher.update(this.scratch.subarray(0, this.used));
    this.used = 0;
  }
}

const idleSinks: HashSink[] = [];

/** Takes a sink for one digest. Each sink is used by one walk at a time, so concurrent walks never share state. */
export async function acquireSink(): Promise<HashSink> {
  const sink = idleSinks.pop() ?? new HashSink(await createXXHash128());
  sink.reset();
  return sink;
}

export function releaseSink(sink: HashSink): void {
  if (idleSinks.length < MAX_IDLE_SINKS) idleSinks.push(sink);
}
