import { expect, test } from "vitest";
import { openSession } from "../../../src/app/session.ts";
import { InputError } from "../../../src/cells/errors.ts";
import { crc32 } from "../../../src/runtime/session/crc32.ts";
import { SessionError } from "../../../src/runtime/session/errors.ts";
import { headerByteLength, headerOffsets } from "../../../src/runtime/session/format.ts";
import { rewriteManifestText, seededRandom, syntheticSession } from "./synthetic.ts";

/**
 * Milliseconds one input may take. A valid file of this size opens in about 1 ms; the bound
 * is far above that so a loaded machine's pauses do not fail the test, while a loop that
 * never ends still does.
 */
const timeBoundMs = 2000;
const inputsPerKind = 600;

type Mutation = (bytes: Uint8Array, random: () => number) => Uint8Array;

const int = (random: () => number, below: number) => Math.floor(random() * below);

function reseal(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= headerByteLength) {
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(headerOffsets.headerCrc32, crc32(bytes.subarray(0, headerOffsets.headerCrc32)), true);
  }
  return bytes;
}

/** Every kind of damage the fuzzer applies to a valid session. */
const mutations: Record<string, Mutation> = {
  truncate: (bytes, random) => bytes.slice(0, int(random, bytes.length)),
  "flip bits": (bytes, random) => {
    const copy = bytes.slice();
    for (let k = 1 + int(random, 8); k > 0; k--) copy[int(random, copy.length)]! ^= 1 << int(random, 8);
    return copy;
  },
  "flip header bits, resealed": (bytes, random) => {
    const copy = bytes.slice();
    copy[int(random, headerOffsets.headerCrc32)]! ^= 1 << int(random, 8);
    return reseal(copy);
  },
  "huge length field, resealed": (bytes, random) => {
    const copy = bytes.slice();
    const view = new DataView(copy.buffer);
    const huge = [0xffffffff, 0x7fffffff, 0x80000000, bytes.length + 8, int(random, 0xffffffff)][int(random, 5)]!;
    if (random() < 0.5) view.setUint32(headerOffsets.manifestByteLength, huge, true);
    else view.setBigUint64(headerOffsets.dataByteLength, BigInt(huge) * BigInt(1 + int(random, 1 << 20)), true);
    return reseal(copy);
  },
  "manifest field changed, checksums fixed": (bytes, random) =>
    rewriteManifestText(bytes, (text) => {
      // Replace one number in the manifest (a length, an offset, an array index, a checksum) with an extreme value.
      const numbers = [...text.matchAll(/\d+/g)];
      const target = numbers[int(random, numbers.length)]!;
      const replacement = ["0", "-1", "4294967296", "9007199254740993", "1e308", "0.5", "null", '"x"', "[]", "{}"][int(random, 10)]!;
      return text.slice(0, target.index) + replacement + text.slice(target.index! + target[0].length);
    }),
  "random bytes after the signature": (bytes, random) => {
    const out = new Uint8Array(int(random, 256));
    out.set(bytes.subarray(0, Math.min(8, out.length)));
    for (let i = 8; i < out.length; i++) out[i] = int(random, 256);
    return out;
  },
};

test("reader fuzz: no crash or hang", () => {
  const valid = syntheticSession({ n: 10, classes: 3, epochs: 2 });
  const random = seededRandom(20261204);
  const counts: Record<string, { inputs: number; rejected: number; opened: number }> = {};
  let slowest = 0;
  for (const [kind, mutate] of Object.entries(mutations)) {
    const count = (counts[kind] = { inputs: 0, rejected: 0, opened: 0 });
    for (let i = 0; i < inputsPerKind; i++) {
      const input = mutate(valid, random);
      const started = performance.now();
      try {
        openSession(input, "fuzz.carryover");
        count.opened++;
      } catch (error) {
        // Any other exception is a crash: it escaped the reader's own checks.
        if (!(error instanceof SessionError || error instanceof InputError)) {
          throw new Error(`${kind} input ${i} crashed the reader: ${error instanceof Error ? error.stack : String(error)}`);
        }
        count.rejected++;
      }
      const elapsed = performance.now() - started;
      slowest = Math.max(slowest, elapsed);
      expect(elapsed, `${kind} input ${i}`).toBeLessThan(timeBoundMs);
      count.inputs++;
    }
  }
  const total = Object.values(counts).reduce((sum, count) => sum + count.inputs, 0);
  console.log(`session reader fuzz: ${total} inputs, seed 20261204, slowest ${slowest.toFixed(1)} ms`);
  for (const [kind, count] of Object.entries(counts)) console.log(`  ${kind}: ${count.inputs} inputs, ${count.rejected} rejected, ${count.opened} opened`);
  expect(total).toBe(inputsPerKind * Object.keys(mutations).length);
  // Truncations and random bytes can never produce a valid file.
  expect(counts.truncate!.opened).toBe(0);
  expect(counts["random bytes after the signature"]!.opened).toBe(0);
});
