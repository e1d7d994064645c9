/** The shape the Observable runtime iterates: anything with `next` and `return` (6.0.1, generatorish.js). */
export interface GeneratorLike {
  next(value?: unknown): IteratorResult<unknown> | PromiseLike<IteratorResult<unknown>>;
  return(value?: unknown): unknown;
  throw?(error?: unknown): unknown;
}

export function isGeneratorLike(value: unknown): value is GeneratorLike {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const candidate = value as Partial<GeneratorLike>;
  return typeof candidate.next === "function" && typeof candidate.return === "function";
}

/**
 * Key of an optional function on a generator that returns true while the generator waits for
 * the user (a file picker, say). Such a generator does not keep `settled()` pending, because
 * nothing will happen until the user acts. Registered with Symbol.for, so libraries that
 * provide inputs need not import the runtime.
 */
export const awaitingInput: unique symbol = Symbol.for("carryover.awaitingInput") as never;

/**
 * Counts generators that may still produce values, so that `settled()` can wait for them.
 * A generator counts from the moment an output returns it until it is done, throws, or is
 * ended with `return()`.
 */
export class GeneratorTracker {
  private active = 0;
  /** Functions that return true while a tracked generator waits for the user (see `awaitingInput`). */
  private readonly waiting = new Set<() => boolean>();
  private readonly onEnd: () => void;

  constructor(onEnd: () => void) {
    this.onEnd = onEnd;
  }

  /** Generators that may still produce values without the user acting. */
  get activeCount(): number {
    let waitingCount = 0;
    for (const isWaiting of this.waiting) if (isWaiting()) waitingCount += 1;
    return this.active - waitingCount;
  }

  /**
   * Returns a wrapper that the runtime iterates in place of `generator`. A sync generator's
   * wrapper stays sync. `invalidation` ends the generator even when the runtime never pulled it, which happens
   * when its variable is redefined before the first value.
   */
  track(generator: GeneratorLike, invalidation: Promise<unknown>): GeneratorLike {
    let ended = false;
    const onActivity = this.onEnd;
    this.active += 1;
    const isWaiting = (generator as { [awaitingInput]?: unknown })[awaitingInput];
    const waits = typeof isWaiting === "function" ? () => Boolean(isWaiting.call(generator)) : undefined;
    if (waits) this.waiting.add(waits);
    const end = () => {
      if (ended) return;
      ended = true;
      this.active -= 1;
      if (waits) this.waiting.delete(waits);
      this.onEnd();
    };
    const finish = (result: IteratorResult<unknown>) => {
      if (result.done) end();
      return result;
    };

    const wrapper: GeneratorLike = {
      next(value) {
        let result: IteratorResult<unknown> | PromiseLike<IteratorResult<unknown>>;
        try {
          result = generator.next(value);
        } catch (error) {
          end();
          throw error;
        }
        // An input generator starts waiting for the user inside next(), so settled() must
        // check the busy state again.
        if (waits) {
          if (waits()) onActivity();
          void Promise.resolve().then(() => {
            if (waits()) onActivity();
          });
        }
        if (!isPromiseLike(result)) return finish(result);
        return Promise.resolve(result).then(finish, (error: unknown) => {
          end();
          throw error;
        });
      },
      return(value) {
        const wasEnded = ended;
        end();
        if (wasEnded) return { done: true, value };
        const result = generator.return(value);
        // The runtime does not await its return() call, so a rejection here would go unhandled.
        if (isPromiseLike(result)) Promise.resolve(result).catch(() => {});
        return result;
      },
    };
    void invalidation.then(() => wrapper.return());
    return wrapper;
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
