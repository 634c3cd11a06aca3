/**
 * Chinese for bpmn-js-token-simulation. The package writes its English texts straight into the DOM instead of
 * calling bpmn-js's `translate`, so this module watches the elements it adds (all `bts-*` classes, inside the
 * canvas container) and passes each text and tooltip through `translate`: the keys are in ../i18n/zh-CN.ts.
 */

type Translate = (template: string, replacements?: Record<string, string | number>) => string;

/** Texts the simulation builds from parts: the key for `translate` and the parts to fill in (translated too). */
const PATTERNS: { pattern: RegExp; key: string; names: string[] }[] = [
  { pattern: /^(.+) started$/, key: '{name} started', names: ['name'] },
  { pattern: /^Set animation speed = (.+)$/, key: 'Set animation speed = {speed}', names: ['speed'] },
  { pattern: /^Focus process instance (.+)$/, key: 'Focus process instance {id}', names: ['id'] },
];

export function translateSimulationText(text: string, translate: Translate): string {
  const trimmed = text.trim();
  if (trimmed === '') return text;
  let result = translate(trimmed);
  if (result === trimmed) {
    for (const { pattern, key, names } of PATTERNS) {
      const match = pattern.exec(trimmed);
      if (!match) continue;
      const parts = Object.fromEntries(names.map((name, i) => [name, translate(match[i + 1] ?? '')]));
      result = translate(key, parts);
      break;
    }
  }
  return result === trimmed ? text : text.replace(trimmed, result);
}

const inSimulation = (node: Node | null): boolean => {
  const element = node instanceof Element ? node : (node?.parentElement ?? null);
  return element?.closest('[class*="bts-"]') != null;
};

class SimulationTranslator {
  static $inject = ['canvas', 'translate'];

  constructor(canvas: { getContainer(): HTMLElement }, translate: Translate) {
    const container = canvas.getContainer();
    const translateNode = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) {
        if (!inSimulation(node)) return;
        const text = node.nodeValue ?? '';
        const translated = translateSimulationText(text, translate);
        if (translated !== text) node.nodeValue = translated;
        return;
      }
      if (!(node instanceof Element)) return;
      const simulation = inSimulation(node);
      if (!simulation && !node.querySelector('[class*="bts-"]')) return;
      for (const element of [node, ...node.querySelectorAll('[title], [aria-label]')]) {
        if (!simulation && !inSimulation(element)) continue;
        for (const attribute of ['title', 'aria-label']) {
          const value = element.getAttribute(attribute);
          if (value === null) continue;
          const translated = translateSimulationText(value, translate);
          if (translated !== value) element.setAttribute(attribute, translated);
        }
      }
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) translateNode(text);
    };
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'childList') record.addedNodes.forEach(translateNode);
        else translateNode(record.target);
      }
    }).observe(container, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['title', 'aria-label'],
    });
    translateNode(container);
  }
}

export default {
  __init__: ['simulationTranslator'],
  simulationTranslator: ['type', SimulationTranslator],
};
