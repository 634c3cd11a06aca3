import { diff } from 'bpmn-js-differ';

interface Element {
  $type: string;
  id?: string;
  name?: string;
}

export interface DiffEntry {
  id: string;
  type: string;
  name: string;
}

export interface DiffSummary {
  added: DiffEntry[];
  removed: DiffEntry[];
  changed: (DiffEntry & { attributes: string[] })[];
  layoutChanged: DiffEntry[];
}

interface Editor {
  get(name: string): any;
  getDefinitions(): unknown;
}

const MARKERS = ['fm-diff-added', 'fm-diff-changed', 'fm-diff-layout'];
const entry = (id: string, e: Element): DiffEntry => ({ id, type: e.$type.replace(/^bpmn:/, ''), name: e.name ?? '' });

/** Removes the marks of a previous comparison from the diagram. */
export function clearDiff(editor: Editor): void {
  const canvas = editor.get('canvas');
  const registry = editor.get('elementRegistry');
  editor.get('overlays').remove({ type: 'fm-diff' });
  for (const element of registry.getAll()) for (const marker of MARKERS) canvas.removeMarker(element, marker);
}

/**
 * Compares the diagram being edited with a deployed version (bpmn-js-differ) and marks the result on the
 * diagram: added elements green, changed ones amber, moved ones blue. Removed elements are not on the diagram
 * any more; the summary lists them.
 */
export async function showDiff(editor: Editor, deployedXml: string): Promise<DiffSummary> {
  clearDiff(editor);
  const { rootElement } = await editor.get('moddle').fromXML(deployedXml, 'bpmn:Definitions');
  const result = diff(rootElement, editor.getDefinitions());
  const summary: DiffSummary = {
    added: Object.entries(result._added).map(([id, e]) => entry(id, e)),
    removed: Object.entries(result._removed).map(([id, e]) => entry(id, e)),
    changed: Object.entries(result._changed).map(([id, c]) => ({
      ...entry(id, c.model),
      attributes: Object.keys(c.attrs),
    })),
    layoutChanged: Object.entries(result._layoutChanged)
      .filter(([id]) => !(id in result._changed) && !(id in result._added))
      .map(([id, e]) => entry(id, e)),
  };
  const canvas = editor.get('canvas');
  const registry = editor.get('elementRegistry');
  const overlays = editor.get('overlays');
  const mark = (items: DiffEntry[], marker: string, badge: string) => {
    for (const item of items) {
      const element = registry.get(item.id);
      if (!element || element.type === 'bpmn:Process') continue;
      canvas.addMarker(element, marker);
      const html = document.createElement('span');
      html.className = `fm-diff-badge ${marker}`;
      html.textContent = badge;
      overlays.add(element, 'fm-diff', { position: { top: -12, left: -8 }, html });
    }
  };
  mark(summary.added, 'fm-diff-added', '新增');
  mark(summary.changed, 'fm-diff-changed', '修改');
  mark(summary.layoutChanged, 'fm-diff-layout', '移动');
  return summary;
}
