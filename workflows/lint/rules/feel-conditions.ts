import { checkConditions } from '../expressions.js';
import type { RuleFactory } from '../types.js';
import { reportIssues } from '../types.js';
import { allElements } from '../walk.js';

const MAX_NESTING = 40;

/**
 * Every sequence-flow condition is FEEL and parses; the runtime evaluates nothing else. Judged over the whole
 * document at once, so that the document's FEEL parsing budget holds (a hostile upload cannot make it parse more).
 */
const feelConditions: RuleFactory = () => ({
  meta: {
    deployCheck: true,
    documentation: { description: '顺序流条件必须是合法的 FEEL 表达式' },
  },
  check(node, reporter) {
    if (node.$type !== 'bpmn:Definitions') return undefined;
    const flows = allElements(node, MAX_NESTING).elements.filter((e) => e.$type === 'bpmn:SequenceFlow');
    reportIssues(reporter, checkConditions(flows), node.id);
    return undefined;
  },
});

export default feelConditions;
