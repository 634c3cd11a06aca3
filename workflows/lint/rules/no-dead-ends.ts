import { checkReachability } from '../cycles.js';
import { buildFlowGraph } from '../graph.js';
import { checkStructure } from '../structure.js';
import type { RuleFactory } from '../types.js';
import { reportIssues } from '../types.js';

/** One start event per scope, every node reachable, and no node but an end event where the flow stops. */
const noDeadEnds: RuleFactory = () => ({
  meta: {
    deployCheck: true,
    flow: true,
    documentation: { description: '不能有断头路：除结束事件外每个节点都要有流出，且从开始事件可达' },
  },
  check(node, reporter) {
    if (node.$type !== 'bpmn:Process' || node.isExecutable !== true) return undefined;
    reportIssues(reporter, [...checkStructure(node), ...checkReachability(buildFlowGraph(node))], node.id);
    return undefined;
  },
});

export default noDeadEnds;
