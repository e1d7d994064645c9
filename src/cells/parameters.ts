import { InputError, describeValue } from "./errors.ts";

/**
 * Merges overrides (from the page's URL or the command line) into a notebook's parameter
 * defaults. Every override must name a known parameter and match its type. A string
 * override is parsed as JSON when the default is not a string.
 */
export function parameters<T extends Record<string, unknown>>(defaults: T, overrides: Record<string, unknown> = {}): T {
  const result: Record<string, unknown> = { ...defaults };
  for (const [name, raw] of Object.entries(overrides)) {
    if (!(name in defaults)) {
      throw new InputError(`parameter not found: ${name} (known parameters: ${Object.keys(defaults).join(", ")})`, {
        field: name,
        value: describeValue(raw),
      });
    }
    const expected = defaults[name];
    const value = typeof raw === "string" && typeof expected !== "string" ? parseOverride(name, raw) : raw;
    if (typeOf(value) !== typeOf(expected)) {
      throw new InputError(
        `invalid parameter ${name}: ${describeValue(value)} (expected ${typeOf(expected)}, like the default ${describeValue(expected)})`,
        { field: name, value: describeValue(value) },
      );
    }
    result[name] = value;
  }
  return result as T;
}

function parseOverride(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`invalid parameter ${name}: ${JSON.stringify(text)} (expected JSON, such as 3, 0.01, true or ["conv1"])`, {
      field: name,
      value: text,
      cause: error,
    });
  }
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value;
}
