/** Renders any cell value as a DOM node: nodes as themselves, everything else as a short text summary. */
export function renderValue(value: unknown): Node {
  if (value instanceof Node) return value;
  const code = document.createElement("code");
  code.className = "inspect";
  code.textContent = summarize(value, 0);
  return code;
}

const maxItems = 8;

/** Summarises a value in one line, at most two levels deep, never as `[object Object]`. */
export function summarize(value: unknown, depth: number): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "string") return depth === 0 ? value : JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "function") return `ƒ ${value.name || "anonymous"}()`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    // Only the first items are copied: the array can hold all 47 million MNIST pixels.
    const typed = value as unknown as Uint8Array;
    const items = Array.from(typed.subarray(0, maxItems));
    const length = typed.length;
    return `${value.constructor.name}(${length}) [${items.map((n) => (Number.isInteger(n) ? n : n.toFixed(3))).join(", ")}${length > maxItems ? ", …" : ""}]`;
  }
  if (depth >= 2) return Array.isArray(value) ? `Array(${value.length})` : (value.constructor?.name ?? "Object");
  if (Array.isArray(value)) {
    const items = value.slice(0, maxItems).map((item) => summarize(item, depth + 1));
    return `Array(${value.length}) [${items.join(", ")}${value.length > maxItems ? ", …" : ""}]`;
  }
  const name = value.constructor && value.constructor !== Object ? `${value.constructor.name} ` : "";
  const entries = Object.entries(value as Record<string, unknown>);
  const fields = entries.slice(0, maxItems).map(([key, item]) => `${key}: ${summarize(item, depth + 1)}`);
  return `${name}{${fields.join(", ")}${entries.length > maxItems ? ", …" : ""}}`;
}
