/**
 * A chart that follows its container's width, for views built in modules (Framework's `resize` is a
 * page global). The chart is drawn at the container's width and redrawn when the width changes.
 */
export function responsive(render: (width: number) => Element, options: { minWidth?: number } = {}): HTMLElement {
  const box = document.createElement("div");
  box.className = "responsive";
  let last = -1;
  const draw = (width: number) => {
    const w = Math.max(options.minWidth ?? 240, Math.floor(width));
    if (w === last) return;
    last = w;
    box.replaceChildren(render(w));
  };
  // A first drawing at a sensible width, then at the real one as soon as the box is laid out.
  draw(Math.min(typeof window === "undefined" ? 640 : window.innerWidth - 48, 960));
  if (typeof ResizeObserver !== "undefined")
    new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w) draw(w);
    }).observe(box);
  return box;
}
