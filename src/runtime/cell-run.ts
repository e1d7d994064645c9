import type { CellResult } from "./compile.ts";
import { findBorrowedValues } from "./borrowed.ts";

export interface CellRunHooks {
  /** Receives the run's displayed values after each `display` call while the run is current. */
  displayed(values: readonly unknown[]): void;
  /** Receives an error thrown by a value's `dispose` or `destroy` method. */
  disposeFailed(error: unknown): void;
}

type TimerHandle = ReturnType<typeof globalThis.setTimeout>;
type TimerCallback = (...args: unknown[]) => void;

/**
 * One run of a cell's body: its builtins, the values it displayed and created, and its cleanup.
 *
 * When the run is invalidated, each output, expression value and displayed value that has a
 * `dispose` or `destroy` method gets one call to it. Borrowed values are skipped: those are
 * reachable from the run's inputs or imports (see borrowed.ts). An output promise is disposed
 * through the value it resolves to. Values inside an output, such as the elements of an array
 * of tensors, are not disposed.
 */
export class CellRun {
  /** Resolves when the cell re-runs, is removed, or the runtime is disposed. */
  readonly invalidation: Promise<void>;
  private resolveInvalidation: () => void = () => {};
  private invalidated = false;
  private readonly borrowedRoots: unknown[];
  private readonly hooks: CellRunHooks;
  private readonly displays: unknown[] = [];
  private readonly created: unknown[] = [];
  private readonly disposed = new Set<object>();
  private readonly timeouts = new Set<TimerHandle>();
  private readonly intervals = new Set<TimerHandle>();
  private borrowed: Set<unknown> | undefined;

  constructor(borrowedRoots: readonly unknown[], hooks: CellRunHooks) {
    this.borrowedRoots = [...borrowedRoots];
    this.hooks = hooks;
    this.invalidation = new Promise((resolve) => (this.resolveInvalidation = resolve));
  }

  get isInvalidated(): boolean {
    return this.invalidated;
  }

  /** Values for the names in CELL_BUILTINS. */
  builtins(): Record<string, unknown> {
    return {
      display: (value: unknown) => this.display(value),
      invalidation: this.invalidation,
      setTimeout: (callback: TimerCallback, delay?: number, ...args: unknown[]) => this.startTimer(this.timeouts, callback, delay, args),
      setInterval: (callback: TimerCallback, delay?: number, ...args: unknown[]) => this.startTimer(this.intervals, callback, delay, args),
      clearTimeout: (handle: TimerHandle | undefined) => this.clearTimer(handle),
      clearInterval: (handle: TimerHandle | undefined) => this.clearTimer(handle),
    };
  }

  /** Adds values that the run did not create, such as imported bindings. */
  borrow(values: readonly unknown[]): void {
    this.borrowedRoots.push(...values);
    this.borrowed = undefined;
  }

  /** Records the values a finished body produced, and disposes them at once if the run was already invalidated. */
  adopt(result: CellResult): void {
    this.created.push(...result.outputs.values(), result.value);
    if (this.invalidated) this.disposeCreated(this.created);
  }

  /** Resolves `invalidation`, clears timers and disposes owned values. Later calls do nothing. */
  invalidate(): void {
    if (this.invalidated) return;
    this.invalidated = true;
    this.resolveInvalidation();
    for (const handle of this.timeouts) globalThis.clearTimeout(handle);
    for (const handle of this.intervals) globalThis.clearInterval(handle);
    this.timeouts.clear();
    this.intervals.clear();
    this.disposeCreated([...this.created, ...this.displays]);
  }

  private display(value: unknown): unknown {
    if (this.invalidated) {
      // A value displayed by a stale run is never shown, so it is released right away.
      this.disposeCreated([value]);
      return value;
    }
    this.displays.push(value);
    this.hooks.displayed([...this.displays]);
    return value;
  }

  private startTimer(timers: Set<TimerHandle>, callback: TimerCallback, delay: number | undefined, args: unknown[]): TimerHandle | undefined {
    if (typeof callback !== "function") {
      throw new TypeError(`invalid timer callback: ${typeof callback} (expected a function)`);
    }
    if (this.invalidated) return undefined;
    const repeat = timers === this.intervals;
    const run = () => {
      if (!repeat) timers.delete(handle);
      callback(...args);
    };
    const handle = repeat ? globalThis.setInterval(run, delay) : globalThis.setTimeout(run, delay);
    timers.add(handle);
    return handle;
  }

  private clearTimer(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    if (this.timeouts.delete(handle)) globalThis.clearTimeout(handle);
    else if (this.intervals.delete(handle)) globalThis.clearInterval(handle);
    else globalThis.clearTimeout(handle);
  }

  private disposeCreated(values: readonly unknown[]): void {
    for (const value of values) {
      if (isDisposable(value)) {
        this.disposeOwned(value);
      } else if (isThenable(value)) {
        value.then(
          (resolved) => {
            if (isDisposable(resolved)) this.disposeOwned(resolved);
          },
          () => {},
        );
      }
    }
  }

  private disposeOwned(value: Disposable): void {
    if (this.disposed.has(value)) return;
    this.borrowed ??= findBorrowedValues(this.borrowedRoots);
    if (this.borrowed.has(value)) return;
    this.disposed.add(value);
    try {
      if (typeof value.dispose === "function") value.dispose();
      else value.destroy?.();
    } catch (error) {
      this.hooks.disposeFailed(error);
    }
  }
}

interface Disposable {
  dispose?: () => void;
  destroy?: () => void;
}

function isDisposable(value: unknown): value is Disposable {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const candidate = value as Disposable;
  return typeof candidate.dispose === "function" || typeof candidate.destroy === "function";
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}
