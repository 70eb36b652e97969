/**
 * A drop zone and file picker whose value is the dropped files' bytes ({name, bytes}[]).
 * Works as a Framework view: it dispatches "input" when files arrive.
 */
import type { UploadedFile } from "../lib/study/upload.js";

export function dropZone(label: string): HTMLElement & { value: UploadedFile[] } {
  const zone = document.createElement("div") as unknown as HTMLElement & { value: UploadedFile[] };
  zone.className = "dropzone";
  zone.tabIndex = -1;
  const input = document.createElement("input");
  input.type = "file";
  input.multiple = true;
  input.name = "files";
  input.accept = ".csv,.tsv,.txt,.json,.zip";
  input.setAttribute("aria-label", label);
  const text = document.createElement("p");
  text.textContent = label;
  zone.append(text, input);
  zone.value = [];
  const take = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const files = [...list];
    zone.value = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    text.textContent = `${files.length} file${files.length === 1 ? "" : "s"}: ${files.map((f) => f.name).join(", ")}`;
    zone.dispatchEvent(new Event("input", { bubbles: true }));
  };
  input.addEventListener("change", (e) => {
    e.stopPropagation();
    void take(input.files);
  });
  input.addEventListener("input", (e) => e.stopPropagation());
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    void take(e.dataTransfer?.files ?? null);
  });
  return zone;
}
