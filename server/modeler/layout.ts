import { addDiagram as addDiagramWith, hasDiagram } from '../../workflows/layout.js';
import { moddleOptions } from '../../workflows/schema.js';

export { hasDiagram };

/** A deployed process with a diagram, generated when it has none (see workflows/layout.ts). */
export function addDiagram(xml: string): Promise<string> {
  return addDiagramWith(xml, moddleOptions);
}
