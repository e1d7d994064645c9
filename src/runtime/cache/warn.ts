/**
 * Warnings that repeat, such as one per corrupt cache entry, go to the sink once per distinct
 * message and are counted every time, so a broken cache cannot flood the console.
 */
export class Warnings {
  private readonly counts = new Map<string, number>();
  private totalCount = 0;
  private readonly sink: (message: string) => void;

  /** `sink` receives the first occurrence of each message. Default: `console.warn`. */
  constructor(sink: (message: string) => void = (message) => console.warn(message)) {
    this.sink = sink;
  }

  /** Counts the message and passes it to the sink unless it was reported before. A bound function, so it can be passed around. */
  readonly warn = (message: string): void => {
    const count = (this.counts.get(message) ?? 0) + 1;
    this.counts.set(message, count);
    this.totalCount += 1;
    if (count === 1) this.sink(message);
  };

  /** Returns how many times `message` was reported, including the repeats that the sink did not receive. */
  count(message: string): number {
    return this.counts.get(message) ?? 0;
  }

  /** Number of reports of all messages, repeats included. */
  get total(): number {
    return this.totalCount;
  }

  /** Distinct messages, in the order they were first reported. */
  get messages(): string[] {
    return [...this.counts.keys()];
  }
}
