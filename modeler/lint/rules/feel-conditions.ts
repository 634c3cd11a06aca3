import { checkConditions } from '../../../server/definitions/expressions.js';
import type { RuleFactory } from '../types.js';
import { reportIssues } from '../types.js';

/** Every sequence-flow condition is FEEL and parses; the runtime evaluates nothing else. */
const feelConditions: RuleFactory = () => ({
  meta: { documentation: { description: '顺序流条件必须是合法的 FEEL 表达式' } },
  check(node, reporter) {
    if (node.$type === 'bpmn:SequenceFlow') reportIssues(reporter, checkConditions([node]), node.id);
    return undefined;
  },
});

export default feelConditions;
