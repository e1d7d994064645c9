import {
  CACHE_FORMAT_VERSION,
  SequenceRecord,
  UnhashableError,
  computeKey,
  explainKeyChange,
  type CacheStore,
  type ComputedKey,
  type HashAdapter,
} from "./cache/index.ts";
import type { CellResult } from "./compile.ts";
import { isGeneratorLike } from "./generators.ts";

/** Origin of a cached cell's result (computed, restored, resumed) and the reason, shown on demand. */
export interface CacheOutcome {
  status: "computed" | "restored" | "resumed" | "uncached";
  /** One sentence: first run, source changed, input "x" changed, entry corrupt, evicted, … */
  reason: string;
  key?: string;
  /** Set when the result could not be stored; the cell still works. */
  storeError?: string;
}

export interface CellCacheOptions {
  store: CacheStore;
  /** Identity of the notebook, so the storage panel can list and delete its entries. */
  notebook: string;
  /** Version of the library cells import; a new version recomputes everything. */
  libraryVersion: string;
  /** Backend the results depend on (for example TensorFlow.js's), read when a cell runs. */
  backend?: () => string | undefined;
  /** Hashing for values the key cannot read by itself, such as tensors and models. */
  adapters?: readonly HashAdapter[];
}

/** Key under which a resumable generator offers to continue after recorded values. */
const resumeRun = Symbol.for("carryover.resume");

type Resumable = { [resumeRun]: (recorded: readonly unknown[]) => AsyncGenerator<unknown, void, undefined> };

/**
 * Runs a cell through the cache: restores a stored result when the key matches, resumes an
 * interrupted generator when the store contains part of its sequence, and otherwise runs the
 * cell and stores what it produced. Every path reports a CacheOutcome.
 */
export class CellCache {
  constructor(private readonly options: CellCacheOptions) {}

  async run(
    cellId: string,
    source: string,
    inputs: Readonly<Record<string, unknown>>,
    compute: () => Promise<CellResult>,
    report: (outcome: CacheOutcome) => void,
    invalidation: Promise<void>,
  ): Promise<CellResult> {
    let computed: ComputedKey;
    try {
      computed = await computeKey(
        { source, inputs, libraryVersion: this.options.libraryVersion, formatVersion: CACHE_FORMAT_VERSION, backend: this.options.backend?.() },
        { adapters: this.options.adapters },
      );
    } catch (error) {
      if (!(error instanceof UnhashableError)) throw error;
      report({ status: "uncached", reason: `not cached: ${error.message}` });
      return compute();
    }
    return this.underLock(computed.key, invalidation, (release) => this.lookupOrCompute(cellId, computed, compute, report, release));
  }

  /**
   * Runs `body` holding the Web Lock named after the key, so a second tab on the same notebook
   * waits for the first tab's result instead of computing it again. The lock is released when
   * `body` calls `release` (once the result is stored, or once a generator output has ended),
   * or when the cell is invalidated, whichever comes first.
   */
  private underLock(key: string, invalidation: Promise<void>, body: (release: () => void) => Promise<CellResult>): Promise<CellResult> {
    return new Promise<CellResult>((resolve, reject) => {
      void this.options.store
        .withKeyLock(key, async () => {
          let release!: () => void;
          const released = new Promise<void>((done) => (release = done));
          void invalidation.then(release);
          try {
            resolve(await body(release));
          } catch (error) {
            reject(error);
            release();
          }
          await released;
        })
        .catch(reject);
    });
  }

  private async lookupOrCompute(
    cellId: string,
    computed: ComputedKey,
    compute: () => Promise<CellResult>,
    report: (outcome: CacheOutcome) => void,
    release: () => void,
  ): Promise<CellResult> {
    const { store } = this.options;
    const key = computed.key;
    const found = await store.get(key);
    if (found.status === "hit") {
      const sequences = [...found.entry.outputs.values()].filter((value): value is SequenceRecord => value instanceof SequenceRecord);
      void store.touch(key);
      if (sequences.every((sequence) => sequence.complete)) {
        report({ status: "restored", reason: `restored: same source and inputs as the run of ${new Date(found.entry.createdAt).toLocaleString()}`, key });
        release();
        return { outputs: replayOutputs(found.entry.outputs), value: undefined };
      }
      return this.resume(cellId, computed, found.entry.outputs, compute, report, release);
    }
    const reason = found.status === "corrupt" ? `computed: the stored entry was corrupt (${found.reason})` : await this.missReason(cellId, computed);
    const result = await compute();
    return this.record(cellId, computed, result, { status: "computed", reason, key }, report, release);
  }

  /** Explains a miss by comparing the key's ingredients with the cell's most recent entry. */
  private async missReason(cellId: string, computed: ComputedKey): Promise<string> {
    const previous = (await this.options.store.list(this.options.notebook, cellId))[0];
    if (!previous) return "computed: first run (nothing stored for this cell)";
    const changes = explainKeyChange(previous.ingredients, computed.ingredients);
    if (changes.length === 0) return "computed: the stored entry was evicted";
    return `computed: ${changes.map((change) => change.label).join(", ")} changed since the stored run`;
  }

  private async resume(
    cellId: string,
    computed: ComputedKey,
    stored: ReadonlyMap<string, unknown>,
    compute: () => Promise<CellResult>,
    report: (outcome: CacheOutcome) => void,
    release: () => void,
  ): Promise<CellResult> {
    const result = await compute();
    const outputs = new Map(result.outputs);
    let resumedAfter = 0;
    for (const [name, value] of stored) {
      const live = outputs.get(name);
      if (!(value instanceof SequenceRecord) || value.complete || !isResumable(live)) continue;
      outputs.set(name, continueAfter(value.values, live[resumeRun](value.values)));
      resumedAfter = Math.max(resumedAfter, value.values.length);
    }
    const outcome: CacheOutcome = resumedAfter
      ? { status: "resumed", reason: `resumed: an interrupted run had stored ${resumedAfter} values, so it continued from the last one`, key: computed.key }
      : { status: "computed", reason: "computed: an interrupted run was stored, but its output cannot resume", key: computed.key };
    return this.record(cellId, computed, { ...result, outputs }, outcome, report, release);
  }

  /**
   * Stores a cell's outputs. Plain outputs are stored at once. Each generator output is
   * wrapped so that every yielded value is stored as a partial sequence, then as a complete
   * one when the generator finishes, which is what lets an interrupted run resume.
   */
  private record(
    cellId: string,
    computed: ComputedKey,
    result: CellResult,
    outcome: CacheOutcome,
    report: (outcome: CacheOutcome) => void,
    release: () => void,
  ): CellResult {
    report(outcome);
    const snapshot = new Map<string, unknown>();
    const outputs = new Map<string, unknown>();
    let writes = Promise.resolve();
    const save = () => {
      const entry = { key: computed.key, notebook: this.options.notebook, cellId, outputs: new Map(snapshot), libraryVersion: this.options.libraryVersion, ingredients: computed.ingredients };
      writes = writes
        .then(() => this.options.store.put(entry))
        .then(
          () => undefined,
          (error: unknown) => report({ ...outcome, storeError: `not stored: ${error instanceof Error ? error.message : String(error)}` }),
        );
    };
    const generatorCount = [...result.outputs.values()].filter(isGeneratorLike).length;
    let ended = 0;
    const onEnd = () => {
      ended += 1;
      if (ended === generatorCount) void writes.then(release);
    };
    for (const [name, value] of result.outputs) {
      if (isGeneratorLike(value)) {
        const recorded: unknown[] = [];
        snapshot.set(name, new SequenceRecord(recorded, false));
        outputs.set(
          name,
          recordSequence(
            value as unknown as AsyncIterable<unknown>,
            (item, complete) => {
              if (item.length > 0) recorded.push(item[0]);
              snapshot.set(name, new SequenceRecord([...recorded], complete));
              save();
            },
            onEnd,
          ),
        );
      } else {
        snapshot.set(name, value);
        outputs.set(name, value);
      }
    }
    if (generatorCount === 0) {
      save();
      void writes.then(release);
    }
    return { ...result, outputs };
  }
}

function isResumable(value: unknown): value is Resumable {
  return typeof value === "object" && value !== null && typeof (value as Partial<Resumable>)[resumeRun] === "function";
}

/** Turns stored sequences back into generators that replay their values in order. */
function replayOutputs(stored: ReadonlyMap<string, unknown>): Map<string, unknown> {
  const outputs = new Map<string, unknown>();
  for (const [name, value] of stored) outputs.set(name, value instanceof SequenceRecord ? replay(value.values) : value);
  return outputs;
}

async function* replay(values: readonly unknown[]): AsyncGenerator<unknown, void, undefined> {
  for (const value of values) yield value;
}

async function* continueAfter(recorded: readonly unknown[], rest: AsyncGenerator<unknown, void, undefined>): AsyncGenerator<unknown, void, undefined> {
  yield* recorded;
  yield* rest;
}

/**
 * Passes a generator's values through, calling `onValue` with each one (and `complete`
 * false) and once more with no value and `complete` true when it finishes, then `onEnd`.
 * Ending early, as when the cell re-runs, leaves the sequence stored as incomplete.
 */
async function* recordSequence(
  source: AsyncIterable<unknown>,
  onValue: (item: [unknown] | [], complete: boolean) => void,
  onEnd: () => void,
): AsyncGenerator<unknown, void, undefined> {
  try {
    for await (const value of source) {
      onValue([value], false);
      yield value;
    }
    onValue([], true);
  } finally {
    onEnd();
  }
}
