import { describe, expect, test } from "vitest";
import { zipSync, strToU8 } from "fflate";
import { readUpload } from "../../../src/lib/study/upload.js";
import { validateStudy } from "../../../src/lib/study/validate/index.js";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles } from "../../../src/lib/task/simulate.js";

const files = studyToFiles(simulateStudy({ ...DEFAULT_CONFIG, nTreatment: 3, nReference: 3, seed: 3 }).study);
const enc = (s: string) => new TextEncoder().encode(s);

describe("reading an upload", () => {
  test("the four files, in any order, give the same study as the folder", () => {
    const r = readUpload(Object.entries(files).reverse().map(([name, text]) => ({ name, bytes: enc(text) })));
    expect(r.errors).toEqual([]);
    expect(r.files).toEqual(files);
    expect(validateStudy(r.files).ok).toBe(true);
  });
  test("a zip of the folder (in a subfolder, with macOS litter) gives the same files", () => {
    const zip = zipSync({
      ...Object.fromEntries(Object.entries(files).map(([n, t]) => [`my-study/${n}`, strToU8(t)])),
      "__MACOSX/my-study/._trials.csv": strToU8("junk"),
      "my-study/notes.docx": strToU8("x"),
    });
    const r = readUpload([{ name: "my-study.zip", bytes: zip }]);
    expect(r.errors).toEqual([]);
    expect(r.files).toEqual(files);
    expect(r.notes).toEqual(["my-study/notes.docx: ignored (not one of study.json, participants.csv, trials.csv, clinical.csv, events.csv)"]);
  });
  test("a broken zip and a doubled file are reported, not thrown", () => {
    const r = readUpload([
      { name: "broken.zip", bytes: enc("not a zip") },
      { name: "trials.csv", bytes: enc(files["trials.csv"]) },
      { name: "copy/trials.csv", bytes: enc(files["trials.csv"]) },
    ]);
    expect(r.errors[0]).toMatch(/^broken\.zip: cannot be unzipped/);
    expect(r.errors[1]).toBe("trials.csv was given twice (copy/trials.csv); keep one");
  });
  test("nothing dropped", () => {
    expect(readUpload([]).errors).toEqual(["no file was given: drop the files of a study folder (study.json, participants.csv, trials.csv, and clinical.csv and events.csv when the study has them), or a zip of the folder"]);
  });
});
