import { addDiagram as addDiagramWith, hasDiagram } from '../../modeler/import/layout.js';
import { moddleOptions } from '../../workflows/schema.js';

export { hasDiagram };

/** A deployed process with a diagram, generated when it has none (see modeler/import/layout.ts). */
export function addDiagram(xml: string): Promise<string> {
  return addDiagramWith(xml, moddleOptions);
}
