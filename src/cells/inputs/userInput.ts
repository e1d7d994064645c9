/** Key the notebook runtime reads to tell a generator that waits for the user from one that works. */
const awaitingInput = Symbol.for("carryover.awaitingInput");

/**
 * A value the user changes through the page (picked files, a URL). `values()` returns a
 * generator that yields the current value, then each new one. A notebook cell that returns it
 * re-runs its dependents on every change, and the notebook counts as settled while it waits.
 */
export class UserInput<T> {
  private current: T;
  private readonly waiters = new Set<(value: T) => void>();

  constructor(initial: T) {
    this.current = initial;
  }

  get value(): T {
    return this.current;
  }

  set(value: T): void {
    this.current = value;
    for (const resolve of [...this.waiters]) resolve(value);
  }

  values(): AsyncGenerator<T, void, undefined> {
    let waiting = false;
    const waiters = this.waiters;
    const self = this;
    async function* iterate(): AsyncGenerator<T, void, undefined> {
      yield self.current;
      for (;;) {
        waiting = true;
        let resolveNext!: (value: T) => void;
        const next = new Promise<T>((resolve) => (resolveNext = resolve));
        waiters.add(resolveNext);
        try {
          const value = await next;
          waiting = false;
          yield value;
        } finally {
          waiters.delete(resolveNext);
        }
      }
    }
    return Object.assign(iterate(), { [awaitingInput]: () => waiting });
  }
}

/** Wires an element as a drop target: highlights while files are dragged over, calls `onDrop` with the DataTransfer. */
export function acceptDrops(element: HTMLElement, onDrop: (transfer: DataTransfer) => void): void {
  element.addEventListener("dragover", (event) => {
    event.preventDefault();
    element.classList.add("drop-target");
  });
  element.addEventListener("dragleave", () => element.classList.remove("drop-target"));
  element.addEventListener("drop", (event) => {
    event.preventDefault();
    element.classList.remove("drop-target");
    if (event.dataTransfer) onDrop(event.dataTransfer);
  });
}
