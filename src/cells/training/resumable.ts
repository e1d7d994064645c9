/**
 * Protocol between a long-running generator and the code that records what it yields. A generator
 * with a function under this key can continue from the values an earlier, interrupted
 * iteration yielded: the function takes those values and returns a generator of the rest.
 * The key is registered with Symbol.for, so the notebook runtime can use it without
 * importing this library.
 */
export const resumeRun: unique symbol = Symbol.for("carryover.resume") as never;

export interface Resumable<T> {
  [resumeRun](recorded: readonly T[]): AsyncGenerator<T, void, undefined>;
}
