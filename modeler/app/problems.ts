import { lintDefinitions } from '../../workflows/lint/index.js';
import type { ApiProblem } from '../api/client.js';
import type { Editor } from './editor.js';
import { el, list } from './ui.js';

/** A list of problems; clicking one selects its element on the diagram. */
export function problemList(editor: Editor, problems: ApiProblem[], empty: string): HTMLElement {
  if (problems.length === 0) return list([], empty);
  const registry = editor.get('elementRegistry') as { get(id: string): unknown };
  return el(
    'ul',
    { class: 'fm-list fm-problems' },
    ...problems.map((p) => {
      const item = el('li', { 'data-element': p.elementId ?? '' }, p.message);
      const element = p.elementId ? registry.get(p.elementId) : null;
      if (element) {
        item.classList.add('fm-link');
        item.addEventListener('click', () => {
          (editor.get('canvas') as { scrollToElement(e: unknown): void }).scrollToElement(element);
          try {
            (editor.get('selection') as { select(e: unknown): void }).select(element);
          } catch {
            // the viewer has no selection of its own to speak of
          }
        });
      }
      return item;
    }),
  );
}

/** The shared lint rules over the diagram as it stands (the same rules deploy runs). */
export async function lintProblems(editor: Editor, only?: string[]): Promise<ApiProblem[]> {
  return lintDefinitions((editor as unknown as { getDefinitions(): never }).getDefinitions(), only);
}

/** The legal-basis warnings of a check or a deployment request: shown under their own heading, not as problems. */
export function warningList(editor: Editor, warnings: ApiProblem[] | undefined): HTMLElement[] {
  if (!warnings?.length) return [];
  return [
    el('h3', { class: 'fm-warnings-title' }, `法律依据提醒（${warnings.length}，不影响部署，请核实）`),
    problemList(editor, warnings, ''),
  ];
}
