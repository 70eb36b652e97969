/**
 * Loading a study folder from disk (Node only: command line, data loaders, tests).
 * The browser validates dropped files with validate.ts directly.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { STUDY_FILES, StudyValidationError, validateStudy, type StudyFiles, type ValidateOptions, type ValidationResult } from "./validate/index.js";
import type { Study } from "./types.js";
import { studyToDocument, type StudyDocument } from "./document.js";

export async function readStudyFiles(dir: string): Promise<StudyFiles> {
  const files: StudyFiles = {};
  for (const name of STUDY_FILES) {
    try {
      files[name] = await readFile(join(dir, name), "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  return files;
}

export async function validateStudyDir(dir: string, options?: ValidateOptions): Promise<ValidationResult> {
  return validateStudy(await readStudyFiles(dir), options);
}

/** Load and validate a study folder; throws StudyValidationError listing every problem. */
export async function loadStudyFromDir(dir: string, options?: ValidateOptions): Promise<Study> {
  const result = await validateStudyDir(dir, options);
  if (!result.ok || !result.study) throw new StudyValidationError(result, dir);
  return result.study;
}

/** The validated study folder as the document the dashboard reads; throws StudyValidationError listing every problem. */
export async function studyDocumentOfDir(dir: string): Promise<StudyDocument> {
  const result = await validateStudyDir(dir);
  if (!result.ok || !result.study) throw new StudyValidationError(result, dir);
  return studyToDocument(result.study, result.warnings);
}
