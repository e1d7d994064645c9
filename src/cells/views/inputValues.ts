/**
 * Key of the function that tells the notebook runtime whether the iterator is waiting for the
 * user. While it returns true the output does not keep the notebook from settling, so a
 * notebook whose cells wait for clicks still settles. Spelled with Symbol.for, so the library
 * needs nothing from the runtime.
 */
const awaitingInput = Symbol.for("carryover.awaitingInput");

/** An element whose `value` changes, announced by an `input` event, like an HTML input. */
export type InputElement<T> = EventTarget & { readonly value: T };

/**
 * Returns an async iterator over `element.value`: the value now, then the value after each
 * `input` event. A cell that declares `const selection = inputValues(view)` makes every cell
 * that uses `selection` run again when the view's value changes. Values that arrive faster
 * than the runtime pulls them are skipped, so the runtime always gets the latest. The runtime
 * calls `return()` when the cell re-runs or is removed, which removes the listener.
 */
export function inputValues<T>(element: InputElement<T>): AsyncIterableIterator<T> {
  let latest: { value: T } | undefined = { value: element.value };
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let ended = false;

  const onInput = () => {
    if (ended) return;
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: element.value, done: false });
    } else {
      latest = { value: element.value };
    }
  };
  element.addEventListener("input", onInput);

  const iterator = {
    [awaitingInput]: () => waiting !== undefined,
    next(): Promise<IteratorResult<T>> {
      if (ended) return Promise.resolve({ value: undefined, done: true });
      if (latest) {
        const { value } = latest;
        latest = undefined;
        return Promise.resolve({ value, done: false });
      }
      return new Promise((resolve) => (waiting = resolve));
    },
    return(): Promise<IteratorResult<T>> {
      if (!ended) {
        ended = true;
        element.removeEventListener("input", onInput);
        waiting?.({ value: undefined, done: true });
        waiting = undefined;
      }
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator as AsyncIterableIterator<T>;
}
