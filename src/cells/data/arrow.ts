import { tableFromIPC, type Table } from "apache-arrow";
import { InputError } from "../errors.ts";
import { domainFromArrays } from "./arrays.ts";
import type { Domain } from "./types.ts";

export interface ArrowDomainOptions {
  /** Column of images: a list (fixed size or not) of height × width × channels numbers per row. Default "image". */
  imageColumn?: string;
  /** Column of labels: class indices, or class names as strings. Default "label". */
  labelColumn?: string;
  shape: readonly [number, number, number];
  /** Class names by index; required for integer labels, taken from the sorted distinct strings otherwise. */
  classNames?: readonly string[];
  name?: string;
  /** File name for messages. */
  file?: string;
}

/**
 * Builds a domain from an Arrow IPC file (the stream or file format, as pyarrow and pandas
 * write it) with one row per image: an image column of uint8 pixels (0..255) or floats (0..1),
 * and a label column of class indices or class names.
 */
export function domainFromArrow(bytes: Uint8Array, options: ArrowDomainOptions): Domain {
  const file = options.file ?? "table.arrow";
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    throw new InputError(`invalid Arrow file: ${file} could not be read (${error instanceof Error ? error.message : String(error)}). Write it with pyarrow.ipc or feather v2.`, { file, cause: error });
  }
  const imageColumn = options.imageColumn ?? "image";
  const labelColumn = options.labelColumn ?? "label";
  const columns = table.schema.fields.map((field) => `${field.name} (${field.type})`).join(", ");
  const images = table.getChild(imageColumn);
  const labels = table.getChild(labelColumn);
  for (const [column, vector] of [[imageColumn, images], [labelColumn, labels]] as const) {
    if (!vector) throw new InputError(`column not found: ${JSON.stringify(column)} in ${file} (columns: ${columns}). Name the columns with imageColumn and labelColumn.`, { file, field: "column", value: column });
  }
  const [height, width, channels] = options.shape;
  const length = height * width * channels;
  const pixels = new Float32Array(table.numRows * length);
  let isBytes = true;
  for (let row = 0; row < table.numRows; row++) {
    const value = images!.get(row) as { length: number; toArray(): ArrayLike<number> } | null;
    if (!value || value.length !== length) {
      throw new InputError(`invalid image in ${file}: row ${row} of column ${imageColumn} has ${value?.length ?? "no"} values (expected ${options.shape.join(" × ")} = ${length}).`, {
        file,
        field: `${imageColumn}[${row}]`,
        value: String(value?.length ?? null),
      });
    }
    const array = value.toArray();
    if (!(array instanceof Uint8Array)) isBytes = false;
    pixels.set(array, row * length);
  }
  const { indices, classNames } = labelIndices(labels!.toArray() as ArrayLike<unknown>, options.classNames, file, labelColumn);
  return domainFromArrays({
    name: options.name ?? file,
    file,
    images: isBytes ? Uint8Array.from(pixels) : pixels,
    shape: options.shape,
    labels: indices,
    classNames,
  });
}

function labelIndices(values: ArrayLike<unknown>, given: readonly string[] | undefined, file: string, column: string): { indices: number[]; classNames: readonly string[] } {
  const list = Array.from(values);
  if (list.every((value) => typeof value === "string")) {
    const classNames = given ?? [...new Set(list as string[])].sort();
    const indices = (list as string[]).map((name, row) => {
      const index = classNames.indexOf(name);
      if (index < 0) {
        throw new InputError(`invalid label in ${file}: ${JSON.stringify(name)} in row ${row} of column ${column} (expected one of ${classNames.join(", ")}).`, {
          file,
          field: `${column}[${row}]`,
          value: name,
        });
      }
      return index;
    });
    return { indices, classNames };
  }
  if (!given) {
    throw new InputError(`missing classNames for ${file}: column ${column} holds class indices, so pass classNames (one name per index).`, { file, field: "classNames" });
  }
  return { indices: list.map(Number), classNames: given };
}
