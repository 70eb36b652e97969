/**
 * Reading the figure exporter's options: --params (a dashboard URL, a query string or JSON) and
 * --width (single, double or mm); where Chromium is. Node only; errors are UsageErrors with the
 * message for the user.
 */
import { UsageError } from "./args.js";
import { COLUMN_WIDTHS_MM } from "../figures/widths.js";

export { FIGURE_LIST } from "../figures/names.js";
export { CHROMIUM, chromiumAvailable } from "../figures/chromium.js";
export { COLUMN_WIDTHS_MM };

export interface ParamsInput {
  /** What parseParams reads. */
  input: string | Record<string, unknown>;
  /** Keys of a dashboard URL that are not analysis parameters. */
  study?: string;
  theme?: string;
  participant?: string;
}

/** --params: a dashboard URL (anything after "?"), a bare query string, or a JSON object. */
export function readParamsInput(raw: string): ParamsInput {
  const text = raw.trim();
  if (text.startsWith("{")) {
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`--params: not valid JSON (${(e as Error).message})`);
    }
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) throw new UsageError("--params: expected a JSON object of parameters");
    const { study, theme, id, participant, ...rest } = obj as Record<string, unknown>;
    const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
    return { input: rest, study: str(study), theme: str(theme), participant: str(participant ?? id) };
  }
  let query = text.replace(/#.*$/, "");
  if (query.includes("?")) query = query.slice(query.indexOf("?") + 1);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(query) || query.startsWith("/")) query = "";
  const q = new URLSearchParams(query);
  const take = (k: string) => {
    const v = q.get(k);
    q.delete(k);
    return v ?? undefined;
  };
  const study = take("study");
  const theme = take("theme");
  const participant = take("id");
  return { input: q.toString(), study, theme, participant };
}

export function widthMm(v: string | undefined): number {
  if (v === undefined || v === "single") return COLUMN_WIDTHS_MM.single;
  if (v === "double") return COLUMN_WIDTHS_MM.double;
  const m = /^(\d+(?:\.\d+)?)\s*(mm)?$/.exec(v);
  const n = m ? Number(m[1]) : NaN;
  if (!(n >= 20 && n <= 600)) throw new UsageError(`--width: expected single (89 mm), double (183 mm) or a width in mm from 20 to 600, got ${JSON.stringify(v)}`);
  return n;
}

