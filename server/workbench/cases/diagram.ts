import type { Database } from '../../database/connect.js';
import { findDefinitionById } from '../../definitions/reads.js';
import { findInstance } from '../../engine/reads.js';
import { addDiagram } from '../../modeler/layout.js';

/** A deployed definition as the case page shows it: XML the viewer can draw, and element names by id. */
export interface CaseDiagram {
  xml: string;
  names: Map<string, string>;
}

const ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|quot|amp|lt|gt|apos);/gi, (m, e: string) =>
    e.startsWith('#x') || e.startsWith('#X')
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : (ENTITIES[e] ?? m),
  );

/** Element id → name, read from the BPMN's start tags (names label timeline events). */
export function elementNames(xml: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const tag of xml.matchAll(/<bpmn:\w+\s[^>]*>/g)) {
    const id = /\sid="([^"]+)"/.exec(tag[0])?.[1];
    const name = /\sname="([^"]*)"/.exec(tag[0])?.[1];
    if (id && name) names.set(id, decode(name));
  }
  return names;
}

/**
 * Diagrams by definition id. A definition never changes once deployed, so each is laid out once per process.
 * BPMN deployed without diagram information (written by hand) is laid out automatically.
 */
export function diagramCache(db: Database) {
  const cache = new Map<string, Promise<CaseDiagram>>();
  const build = async (definitionId: string): Promise<CaseDiagram> => {
    const def = await findDefinitionById(db, definitionId);
    if (!def) throw new Error(`流程定义 ${definitionId} 不存在`);
    return { xml: await addDiagram(def.xml), names: elementNames(def.xml) };
  };
  return {
    async forInstance(instanceId: string): Promise<CaseDiagram | null> {
      const instance = await findInstance(db, instanceId);
      if (!instance) return null;
      let entry = cache.get(instance.definition_id);
      if (!entry) {
        entry = build(instance.definition_id);
        cache.set(instance.definition_id, entry);
        entry.catch(() => cache.delete(instance.definition_id));
      }
      return entry;
    },
  };
}
