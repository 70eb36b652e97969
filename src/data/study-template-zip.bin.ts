/**
 * (Named .bin, not .zip: a .zip attachment makes Framework import its zip reader from a CDN.)
 * Framework data loader: a template study folder as a zip (a small synthetic study in the
 * documented format, with a README), offered for download on the "Analyse your study" page.
 */
import { zipSync, strToU8 } from "fflate";
import { DEFAULT_CONFIG, simulateStudy, studyToFiles } from "../lib/task/simulate.js";

const meta = {
  ...DEFAULT_CONFIG.meta,
  id: "my-study",
  title: "Template study (synthetic): replace with your own",
  description: "A small SYNTHETIC example in the belief-updating-kit folder format. Replace the four files with your data; keep the column names.",
  citation: "Your citation here.",
};
const { study } = simulateStudy({ ...DEFAULT_CONFIG, nTreatment: 4, nReference: 4, seed: 7, meta });
const files = studyToFiles(study);
const readme = `Template study folder for belief-updating-kit
==============================================

Four files (comma-, semicolon- or tab-separated; UTF-8):

study.json        id, title, description, citation, synthetic (true/false),
                  groups {"reference": "...", "treatment": "..."} (labels used in participants.csv),
                  sessions (ordered; the first is the baseline),
                  clinical_scale {"name": "MADRS", "min": 0, "max": 60}
participants.csv  participant_id, group, age, sex, education_years (extra columns are kept)
trials.csv        participant_id, session, event_id, first_estimate, base_rate, second_estimate
                  (percentages 0-100; an empty cell is a missed response)
clinical.csv      participant_id, session, score

The numbers in this template are simulated. Check your folder with
  npx belief-kit validate <folder>
or drop it on the "Analyse your study" page.
`;
const zipped = zipSync(
  Object.fromEntries([...Object.entries(files).map(([n, t]) => [`my-study/${n}`, strToU8(t)]), ["my-study/README.txt", strToU8(readme)]]),
  { mtime: new Date("2022-01-01T00:00:00Z") },
);
process.stdout.write(zipped);
