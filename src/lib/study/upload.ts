/**
 * Files a researcher drops in the browser (the four study files, or a zip of the folder)
 * turned into the validator's input. Pure: works on bytes, in the browser and in Node.
 * Nothing is sent anywhere or stored.
 */
import { unzipSync } from "fflate";
import { STUDY_FILES, type StudyFileName, type StudyFiles } from "./validate/index.js";

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface UploadResult {
  files: StudyFiles;
  /** Problems with the upload itself (not the study's content). */
  errors: string[];
  /** Files that were ignored, and why. */
  notes: string[];
}

/** Largest upload read (all files together, uncompressed). */
export const MAX_UPLOAD_BYTES = 200 * 2 ** 20;

const decoder = new TextDecoder("utf-8");

function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function readUpload(uploaded: readonly UploadedFile[]): UploadResult {
  const files: StudyFiles = {};
  const errors: string[] = [];
  const notes: string[] = [];
  let total = 0;
  const take = (path: string, bytes: Uint8Array) => {
    const name = basename(path).toLowerCase();
    if (!(STUDY_FILES as readonly string[]).includes(name)) {
      if (!path.endsWith("/") && !basename(path).startsWith(".")) notes.push(`${path}: ignored (not one of ${STUDY_FILES.join(", ")})`);
      return;
    }
    if (files[name as StudyFileName] !== undefined) {
      errors.push(`${name} was given twice (${path}); keep one`);
      return;
    }
    total += bytes.length;
    if (total > MAX_UPLOAD_BYTES) {
      errors.push(`the upload is larger than ${MAX_UPLOAD_BYTES / 2 ** 20} MB; the browser page reads studies up to that size (use npm run analyze for larger ones)`);
      return;
    }
    files[name as StudyFileName] = decoder.decode(bytes);
  };
  for (const f of uploaded) {
    if (f.name.toLowerCase().endsWith(".zip")) {
      let entries: Record<string, Uint8Array>;
      try {
        let seen = 0;
        entries = unzipSync(f.bytes, {
          filter: (file) => {
            seen += file.originalSize;
            if (seen > MAX_UPLOAD_BYTES) throw new Error(`the zip unpacks to more than ${MAX_UPLOAD_BYTES / 2 ** 20} MB`);
            return !file.name.startsWith("__MACOSX/");
          },
        });
      } catch (e) {
        errors.push(`${f.name}: cannot be unzipped (${(e as Error).message})`);
        continue;
      }
      for (const [path, bytes] of Object.entries(entries)) take(path, bytes);
    } else take(f.name, f.bytes);
  }
  if (uploaded.length === 0) errors.push("no file was given: drop the files of a study folder (study.json, participants.csv, trials.csv, and clinical.csv and events.csv when the study has them), or a zip of the folder");
  return { files, errors, notes };
}
