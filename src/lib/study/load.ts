/**
 * Loading a study folder from disk (Node only: command line, data loaders, tests).
 * The browser validates dropped files with validate.ts directly.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { STUDY_FILES, StudyValidationError, validateStudy, type StudyFiles, type ValidateOptions, type ValidationResult } from "./validate/index.js";
import type { Study } from "./types.js";
import type { StudyEntry } from "./catalog.js";
import { studyToDocument, type StudyDocument } from "./document.js";

/**
 * The folder of studies the site is built from: data/ of the kit, or the folder named by the
 * environment variable BUK_DATA_DIR (a lab's own studies, built into the same dashboard; docs/site.md).
 */
export function studiesRoot(): string {
  const dir = process.env.BUK_DATA_DIR;
  return dir ? resolve(dir) : new URL("../../../data/", import.meta.url).pathname;
}

/** The ids of the study folders in `root` (a folder with a study.json and a name of letters, digits, ".", "_" or "-"), sorted. */
export function studyIds(root: string = studiesRoot()): string[] {
  return readdirSync(root)
    .filter((id) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) && existsSync(join(root, id, "study.json")))
    .sort();
}

/**
 * What the site's sidebar and routes know of each study without analysing it: study.json's title,
 * design, synthetic flag and sessions, and whether clinical.csv exists. A study.json that does not
 * parse still gets an entry: its data loader reports the problem and fails the build.
 */
export function studyEntries(root: string = studiesRoot()): StudyEntry[] {
  return studyIds(root).map((id) => {
    let meta: Record<string, unknown> = {};
    try {
      meta = JSON.parse(readFileSync(join(root, id, "study.json"), "utf8").replace(/^\uFEFF/, ""));
    } catch {
      // Reported by the study's loader.
    }
    return {
      id,
      title: typeof meta.title === "string" ? meta.title : id,
      design: meta.design === "crossover" || meta.design === "parallel" ? meta.design : "belief-updating",
      synthetic: meta.synthetic === true,
      sessions: Array.isArray(meta.sessions) ? meta.sessions.length : 0,
      clinical: meta.clinical_scale !== undefined && existsSync(join(root, id, "clinical.csv")),
    };
  });
}

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
