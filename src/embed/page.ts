/**
 * The iframe-friendly pages (src/embed/<figure>.md): one chart, no sidebar, header or footer,
 * parameters from the page's URL like the dashboard (`?med=pre,post1&sel=TRD03`, `id=` for the
 * participant panel, `downloads=1` for Download SVG / PNG buttons). The page tells its parent
 * window its height (message {type: "belief-updating-kit:height", figure, height}) so the host can
 * size the iframe.
 */
import { downloadButtons } from "../browser/download.js";
import type { StudyDocument } from "../lib/study/document.js";
import { prepareEmbedding, type Embedding } from "./core.js";

export interface EmbedPage {
  embedding: Embedding;
  /** The chart at `width` px, with the parameter warnings and, when asked for, the download buttons. */
  render(width: number): HTMLElement;
}

export function embedPage(doc: StudyDocument, name: string, search: string = location.search): EmbedPage {
  const query = new URLSearchParams(search);
  const embedding = prepareEmbedding(doc, { params: search });
  const downloads = query.get("downloads") === "1";
  let posting = false;
  const postHeight = () => {
    if (posting || typeof window === "undefined" || window.parent === window) return;
    posting = true;
    requestAnimationFrame(() => {
      posting = false;
      window.parent.postMessage({ type: "belief-updating-kit:height", figure: name, height: document.documentElement.scrollHeight }, "*");
    });
  };
  if (typeof ResizeObserver !== "undefined" && typeof document !== "undefined") new ResizeObserver(postHeight).observe(document.body);
  return {
    embedding,
    render(width) {
      const box = document.createElement("div");
      box.className = "embed";
      box.setAttribute("data-figure", name);
      if (embedding.errors.length) {
        const warn = document.createElement("p");
        warn.className = "embed-warning";
        warn.textContent = `Some URL parameters were not understood and their defaults are used: ${embedding.errors.join("; ")}`;
        box.append(warn);
      }
      try {
        const built = embedding.render(name, width);
        box.append(built.element);
        if (downloads) box.append(downloadButtons(built.element, { name }));
      } catch (e) {
        const p = document.createElement("p");
        p.className = "embed-error";
        p.textContent = `This chart cannot be drawn with these parameters: ${(e as Error).message}`;
        box.append(p);
      }
      postHeight();
      return box;
    },
  };
}
