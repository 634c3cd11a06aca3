import { diff } from 'bpmn-js-differ';
import BpmnModdle from 'bpmn-moddle';
import { moddleOptions } from '../../workflows/schema.js';

export interface ChangedElement {
  id: string;
  type: string;
  name: string | null;
}

export interface VersionDiff {
  added: ChangedElement[];
  removed: ChangedElement[];
  changed: (ChangedElement & { attributes: string[] })[];
  layoutChanged: ChangedElement[];
}

const describe = (id: string, e: { $type: string; name?: string }): ChangedElement => ({
  id,
  type: e.$type.replace(/^bpmn:/, ''),
  name: e.name ?? null,
});

/** What changed between two versions of a process, element by element (bpmn-js-differ, as the modeler shows it). */
export async function diffXml(oldXml: string, newXml: string): Promise<VersionDiff> {
  const [before, after] = await Promise.all(
    [oldXml, newXml].map((xml) => new BpmnModdle(moddleOptions).fromXML(xml, 'bpmn:Definitions')),
  );
  const result = diff(before.rootElement, after.rootElement);
  return {
    added: Object.entries(result._added).map(([id, e]) => describe(id, e)),
    removed: Object.entries(result._removed).map(([id, e]) => describe(id, e)),
    changed: Object.entries(result._changed).map(([id, c]) => ({
      ...describe(id, c.model),
      attributes: Object.keys(c.attrs),
    })),
    layoutChanged: Object.entries(result._layoutChanged)
      .filter(([id]) => !(id in result._changed) && !(id in result._added))
      .map(([id, e]) => describe(id, e)),
  };
}
