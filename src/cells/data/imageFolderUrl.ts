import { InputError } from "../errors.ts";
import type { FolderFile } from "./imageFolder.ts";

/**
 * Fetches an image folder that a server lists in an index.json beside it:
 * `{ "name": "pets", "files": ["cat/01.png", "dog/01.png", …] }`. Returns the files with
 * paths "<name>/<class>/<file>", as a picked folder gives them, for imageFolderDomain.
 */
export async function fetchImageFolder(indexUrl: string): Promise<FolderFile[]> {
  const response = await fetchOrFail(indexUrl, indexUrl);
  let index: { name?: unknown; files?: unknown };
  try {
    index = (await response.json()) as typeof index;
  } catch (error) {
    throw new InputError(`invalid folder index: ${indexUrl} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`, { file: indexUrl, cause: error });
  }
  if (typeof index.name !== "string" || !Array.isArray(index.files) || index.files.some((file) => typeof file !== "string")) {
    throw new InputError(`invalid folder index: ${indexUrl} (expected { "name": string, "files": ["<class>/<image>", …] }).`, { file: indexUrl, field: "files" });
  }
  const base = new URL(indexUrl, location.href);
  return Promise.all(
    (index.files as string[]).map(async (path) => {
      const url = new URL(path, base).href;
      return { path: `${index.name}/${path}`, file: await (await fetchOrFail(url, path)).blob() };
    }),
  );
}

async function fetchOrFail(url: string, file: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new InputError(`failed to fetch ${file} from ${url}: ${error instanceof Error ? error.message : String(error)}. Check that the server is running.`, { file, field: "url", value: url, cause: error });
  }
  if (!response.ok) throw new InputError(`${file} not found: ${url} (HTTP ${response.status}). Check the path.`, { file, field: "url", value: url });
  return response;
}
