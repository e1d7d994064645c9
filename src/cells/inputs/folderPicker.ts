import type { FolderFile } from "../data/imageFolder.ts";
import { acceptDrops, UserInput } from "./userInput.ts";

/** The contents of a picked or dropped folder: its files with paths, and every subfolder seen. */
export interface PickedFolder {
  files: FolderFile[];
  /** Folder paths such as "pets/cat", including empty ones (only a drop reveals those). */
  folders: string[];
}

/**
 * Builds a control for choosing a folder of images with one subfolder per class, picked
 * with the browser's folder dialog or dropped on the control. `values()` yields null until a
 * folder is chosen, then each chosen folder, for
 * imageFolderDomain(folder.files, { folders: folder.folders, ... }).
 */
export function folderPicker(options: { label?: string } = {}): HTMLElement & { input: UserInput<PickedFolder | null>; values(): AsyncGenerator<PickedFolder | null, void, undefined> } {
  const input = new UserInput<PickedFolder | null>(null);
  const root = document.createElement("div");
  root.className = "picker";
  root.setAttribute("data-view", "folder-picker");
  const picker = document.createElement("input");
  picker.type = "file";
  picker.webkitdirectory = true;
  picker.multiple = true;
  picker.setAttribute("aria-label", options.label ?? "image folder");
  const status = document.createElement("span");
  status.className = "picker-status";
  status.textContent = "no folder chosen";
  const choose = (folder: PickedFolder) => {
    const root = folder.files[0]?.path.split("/")[0] ?? folder.folders[0]?.split("/")[0] ?? "folder";
    status.textContent = `folder: ${root}/ (${folder.files.length} files)`;
    input.set(folder);
  };
  picker.addEventListener("change", () => {
    const files = [...(picker.files ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
    const folders = [...new Set(files.map((entry) => entry.path.split("/").slice(0, -1).join("/")).filter(Boolean))];
    if (files.length > 0) choose({ files, folders });
  });
  acceptDrops(root, (transfer) => {
    const entries = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((entry): entry is FileSystemEntry => entry !== null);
    void readEntries(entries).then(choose, (error: unknown) => {
      status.textContent = `failed to read the dropped folder: ${error instanceof Error ? error.message : String(error)}`;
    });
  });
  root.append(`${options.label ?? "Image folder"} (one subfolder per class): `, picker, " or drop the folder here ", status);
  return Object.assign(root, { input, values: () => input.values() });
}

/** Walks dropped file-system entries, collecting files with their paths and every folder. */
async function readEntries(entries: readonly FileSystemEntry[]): Promise<PickedFolder> {
  const result: PickedFolder = { files: [], folders: [] };
  const visit = async (entry: FileSystemEntry): Promise<void> => {
    const path = entry.fullPath.replace(/^\//, "");
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      result.files.push({ path, file });
      return;
    }
    result.folders.push(path);
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns at most about 100 entries per call, so read until it returns none.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await visit(child);
    }
  };
  for (const entry of entries) await visit(entry);
  return result;
}
