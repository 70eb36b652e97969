/**
 * Text widths without a browser, for laying out chart labels and the titles, legends and captions of exported figures.
 * Advance widths of DejaVu Sans and DejaVu Sans Bold (the fonts the exporter names first and the
 * PNG rasteriser loads), in thousandths of an em, read from the TTF files of dejavu-fonts-ttf 2.37.3
 * (hmtx via the Unicode cmap). Other characters count as 0.64 em. Pure.
 */

/** Characters 32..126, then EXTRA in order. */
const EXTRA = "−α·′–—×Δρσβ“”‘’…≥≤±éèàöüµ°²";
// prettier-ignore
const REGULAR = [318,401,460,838,636,950,780,275,390,390,500,838,318,361,318,337,636,636,636,636,636,636,636,636,636,636,337,337,838,838,838,531,1000,684,686,698,770,632,575,775,752,295,295,656,557,863,748,787,603,787,695,635,611,732,684,989,685,611,685,390,337,390,838,500,500,613,635,550,635,615,352,635,634,278,278,579,278,974,634,612,635,635,411,521,392,634,592,818,592,592,525,636,337,636,838,838,659,318,227,500,1000,838,684,635,634,638,518,518,318,318,1000,838,838,838,615,615,613,612,634,636,500,401];
// prettier-ignore
const BOLD = [348,456,521,838,696,1002,872,306,457,457,523,838,380,415,380,365,696,696,696,696,696,696,696,696,696,696,400,400,838,838,838,580,1000,774,762,734,830,683,683,821,837,372,372,775,637,995,837,850,733,850,770,720,682,812,774,1103,771,724,725,457,365,457,838,500,500,675,716,593,716,678,435,716,712,343,343,665,343,1042,712,687,716,716,493,595,478,712,652,924,645,652,582,712,365,712,838,838,687,380,264,500,1000,838,774,716,779,716,657,657,380,380,1000,838,838,838,678,678,675,687,712,736,500,438];

function table(widths: number[]): Map<string, number> {
  const m = new Map<string, number>();
  for (let c = 32; c < 127; c++) m.set(String.fromCharCode(c), widths[c - 32]);
  [...EXTRA].forEach((ch, i) => m.set(ch, widths[95 + i]));
  return m;
}
const TABLES = { regular: table(REGULAR), bold: table(BOLD) };

export type MeasureText = (text: string, fontSize: number, bold?: boolean) => number;

/** Width in px of `text` set in DejaVu Sans (Bold) at `fontSize` px. */
export const measureDejaVu: MeasureText = (text, fontSize, bold = false) => {
  const t = bold ? TABLES.bold : TABLES.regular;
  let w = 0;
  for (const ch of text) w += t.get(ch) ?? 640;
  return (w / 1000) * fontSize;
};

/** Greedy word wrap of `text` into lines no wider than `width` px (a single over-long word gets its own line). */
export function wrapText(text: string, width: number, fontSize: number, measure: MeasureText = measureDejaVu, bold = false): string[] {
  const words = text.replace(/\s+/g, " ").trim().split(" ").filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate, fontSize, bold) > width) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line) lines.push(line);
  return lines;
}
