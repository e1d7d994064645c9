/**
 * Writes the UCI digits, converted to 28×28 by the same code the notebook uses, as raw files
 * for scripts/pretrain-source.py:
 *   <out-dir>/uci-images.u8  count × 28 × 28 uint8, row-major
 *   <out-dir>/uci-labels.u8  count uint8 labels
 * and prints {"count": N, "images": path, "labels": path} as JSON on stdout.
 *
 * Usage: npx tsx scripts/export-uci-digits.ts <out-dir> [digits.csv.gz]
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipIfCompressed } from "../src/cells/data/gzip.ts";
import { parseUciDigits } from "../src/cells/data/uciDigits.ts";

const DEFAULT_INPUT = "public/data/uci-digits/digits.csv.gz";

async function main(): Promise<void> {
  const [outDir, input = DEFAULT_INPUT] = process.argv.slice(2);
  if (outDir === undefined) {
    console.error("missing output directory. Usage: npx tsx scripts/export-uci-digits.ts <out-dir> [digits.csv.gz]");
    process.exit(2);
  }

  const bytes = await gunzipIfCompressed(new Uint8Array(await readFile(input)), input);
  const domain = parseUciDigits(new TextDecoder().decode(bytes), { file: input });

  await mkdir(outDir, { recursive: true });
  const imagesPath = join(outDir, "uci-images.u8");
  const labelsPath = join(outDir, "uci-labels.u8");
  await writeFile(imagesPath, domain.images);
  await writeFile(labelsPath, domain.labels);
  console.log(JSON.stringify({ count: domain.count, images: imagesPath, labels: labelsPath }));
}

await main();
