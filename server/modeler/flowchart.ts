import type { Database } from '../database/connect.js';
import { getDefinitionVersion, listDefinitions } from '../definitions/service.js';
import { AppError } from '../http/errors.js';
import { addDiagram } from './layout.js';
import * as q from './queries.js';
import type { FlowchartRenderer } from './render.js';

/**
 * The flowchart (执法流程图) of a department's deployed process, latest version unless one is named, as SVG. A
 * version never changes, so its picture is drawn once and kept. A process deployed without a diagram is laid
 * out automatically.
 */
export async function departmentFlowchart(
  db: Database,
  renderer: FlowchartRenderer,
  input: { departmentId: string; processKey: string; version?: number },
): Promise<{ svg: string; version: number; definitionId: string }> {
  let version = input.version;
  if (version === undefined) {
    const latest = (await listDefinitions(db, { departmentId: input.departmentId })).find(
      (d) => d.processKey === input.processKey,
    );
    if (!latest) throw new AppError(404, 'DEFINITION_NOT_FOUND', `该机关尚未部署流程 ${input.processKey}`);
    version = latest.version;
  }
  const definition = await getDefinitionVersion(db, input.departmentId, input.processKey, version);
  const cached = await q.findDiagram(db, definition.id);
  if (cached) return { svg: cached, version, definitionId: definition.id };
  const svg = await renderer.render(await addDiagram(definition.xml));
  await q.saveDiagram(db, definition.id, svg);
  return { svg, version, definitionId: definition.id };
}
