export interface Line {
  /** The line without its line ending. */
  readonly text: string;
  /** "\n", "\r\n", "\r", or "" for a last line without one. */
  readonly eol: string;
  /** `text + eol`. Concatenating every line's raw text gives back the input. */
  readonly raw: string;
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  for (const match of text.matchAll(/([^\r\n]*)(\r\n|\n|\r|$)/g)) {
    const [raw, body, eol] = match;
    // The pattern also matches the empty string at the very end of the text.
    if (raw === "" && match.index === text.length) break;
    lines.push({ text: body, eol, raw });
  }
  return lines;
}
