export { crc32 } from "./crc32.ts";
export { SessionError, type SessionFault } from "./errors.ts";
export {
  SESSION_FORMAT_VERSION,
  sessionSignature,
  type ArrayEntry,
  type ArrayTypeName,
  type SessionContents,
  type SessionManifest,
  type SessionMeta,
} from "./format.ts";
export { decodeSession } from "./reader.ts";
export { encodeSession } from "./writer.ts";
