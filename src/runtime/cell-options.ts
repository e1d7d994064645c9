/**
 * Options on a cell's info string: the words after `js` in ```` ```js echo id=train ````.
 * A bare word is a flag with the value `true`. In `key=value` the value is text, quoted with
 * `"` or `'` when it contains spaces. Unknown options are kept for later features and for
 * round-trips.
 */
export type CellOptions = Readonly<Record<string, string | true>>;

const OPTION = /([^\s=]+)(?:=(?:"([^"]*)"|'([^']*)'|(\S*)))?/g;

/** Parses the text after the language word. A repeated key keeps its last value. */
export function parseCellOptions(text: string): CellOptions {
  // A null prototype keeps keys such as `constructor` from reading inherited properties.
  const options: Record<string, string | true> = Object.create(null);
  for (const match of text.matchAll(OPTION)) {
    const [, key, doubleQuoted, singleQuoted, bare] = match;
    const value = doubleQuoted ?? singleQuoted ?? bare;
    options[key] = value === undefined ? true : value;
  }
  return options;
}

/** Formats options as they appear after `js`, with a leading space when there are any. */
export function formatCellOptions(options: CellOptions): string {
  let text = "";
  for (const [key, value] of Object.entries(options)) {
    if (!/^[^\s="']+$/.test(key)) {
      throw new Error(`invalid cell option name: ${JSON.stringify(key)} (expected no spaces, quotes or "=")`);
    }
    text += value === true ? ` ${key}` : ` ${key}=${quoteOptionValue(key, value)}`;
  }
  return text;
}

export function sameCellOptions(a: CellOptions, b: CellOptions): boolean {
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  return aKeys.length === bKeys.length && aKeys.every((key, i) => key === bKeys[i] && a[key] === b[key]);
}

function quoteOptionValue(key: string, value: string): string {
  if (value !== "" && !/[\s"'`]/.test(value)) return value;
  if (value.includes("`")) {
    throw new Error(`invalid value for cell option ${key}: ${JSON.stringify(value)} (backticks cannot appear in a fence's info string)`);
  }
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw new Error(`invalid value for cell option ${key}: ${JSON.stringify(value)} (expected at most one kind of quote)`);
}
