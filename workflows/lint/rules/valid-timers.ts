import { checkTimer } from '../timers.js';
import type { RuleFactory } from '../types.js';
import { reportIssues } from '../types.js';

/** A timer sets exactly one of timeDuration, timeDate, timeCycle, to a valid ISO-8601 value or `P<n>WD`. */
const validTimers: RuleFactory = () => ({
  meta: {
    deployCheck: true,
    documentation: { description: '定时器须设置且只设置一种时间，取值合法（如 PT2H、P3D、工作日 P5WD）' },
  },
  check(node, reporter) {
    if (node.$type === 'bpmn:TimerEventDefinition') reportIssues(reporter, checkTimer(node), node.$parent?.id);
    return undefined;
  },
});

export default validTimers;
