/** The shape the Observable runtime iterates: anything with `next` and `return` (6.0.1, generatorish.js). */
export interface GeneratorLike {
  next(value?: unknown): IteratorResult<unknown> | PromiseLike<IteratorResult<unknown>>;
  return(value?: unknown): unknown;
  throw?(error?: unknown): unknown;
}

/**
 * Marks a generator that waits for user input between values, such as one that yields a
 * view's value on every `input` event. The runtime counts it as busy only until its first
 * value, so `settled()` does not wait for input that may never come. A library sets it as
 * `generator[Symbol.for("carryover.inputStream")] = true`, which needs no import.
 */
export const inputStream = Symbol.for("carryover.inputStream");

export function isGeneratorLike(value: unknown): value is GeneratorLike {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const candidate = value as Partial<GeneratorLike>;
  return typeof candidate.next === "function" && typeof candidate.return === "function";
}

/**
 * Counts generators that may still produce values, so that `settled()` can wait for them.
 * A generator counts from the moment an output returns it until it is done, throws, or is
 * ended with `return()`.
 */
export class GeneratorTracker {
  private active = 0;
  private readonly onEnd: () => void;

  constructor(onEnd: () => void) {
    this.onEnd = onEnd;
  }

  get activeCount(): number {
    return this.active;
  }

  /**
   * Returns a wrapper that the runtime iterates in place of `generator`. A sync generator's
   * wrapper stays sync. `invalidation` ends the generator even when the runtime never pulled it, which happens
   * when its variable is redefined before the first value.
   */
  track(generator: GeneratorLike, invalidation: Promise<unknown>): GeneratorLike {
    let ended = false;
    let counted = true;
    this.active += 1;
    const uncount = () => {
      if (!counted) return;
      counted = false;
      this.active -= 1;
      this.onEnd();
    };
    const end = () => {
      if (ended) return;
      ended = true;
      uncount();
    };
    const waitsForInput = (generator as { [inputStream]?: unknown })[inputStream] === true;
    const finish = (result: IteratorResult<unknown>) => {
      if (result.done) end();
      else if (waitsForInput) uncount();
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
