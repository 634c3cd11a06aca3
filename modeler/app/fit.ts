/** The parts of diagram-js's Canvas that fitting needs. */
export interface FitCanvas {
  resized(): void;
  viewbox(): { inner: Box; outer: { width: number; height: number } };
  viewbox(box: Box): void;
}
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const MARGIN = 24;
/** Below this a diagram's labels are unreadable; a wider process is shown from its start and scrolls. */
const MIN_SCALE = 0.6;

/**
 * Shows the whole diagram when it fits at a readable scale, never enlarged past 100 %, with room on the left
 * for the palette so it does not cover the start event. bpmn-js's own 'fit-viewport' ignores the palette.
 */
export function fitDiagram(canvas: FitCanvas, palette: Element | null, above: Element | null = null): void {
  canvas.resized();
  const { inner, outer } = canvas.viewbox();
  if (!inner.width || !inner.height || !outer.width || !outer.height) return;
  const origin = (palette ?? above)?.parentElement?.getBoundingClientRect() ?? { left: 0, top: 0 };
  const left = (palette ? Math.max(0, palette.getBoundingClientRect().right - origin.left) : 0) + MARGIN;
  // The simulation toggle sits above the palette, over the diagram's top left corner.
  const top = (above ? Math.max(0, above.getBoundingClientRect().bottom - origin.top) : 0) + MARGIN;
  const fit = Math.min((outer.width - left - MARGIN) / inner.width, (outer.height - top - MARGIN) / inner.height);
  const scale = Math.min(1, Math.max(MIN_SCALE, fit));
  canvas.viewbox({
    x: inner.x - left / scale,
    y: inner.y - top / scale,
    width: outer.width / scale,
    height: outer.height / scale,
  });
}
