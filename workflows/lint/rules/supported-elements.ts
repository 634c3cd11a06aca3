import { isSupported } from '../elements.js';
import { describe, locate } from '../issues.js';
import type { RuleFactory } from '../types.js';

// Vendor attributes are ignored by the runtime, but these vendor elements mean something it would not do.
const IGNORED_PREFIXES = ['bpmndi:', 'dc:', 'di:'];

/**
 * Only what the runtime executes: a file from another modeler opens, and every element Fashen cannot run is named,
 * one report each.
 */
const supportedElements: RuleFactory = () => ({
  meta: { documentation: { description: '只能使用法审流程引擎支持的元素' } },
  check(node, reporter) {
    const type = node.$type;
    if (type === 'bpmn:ScriptTask' || IGNORED_PREFIXES.some((p) => type.startsWith(p)) || isSupported(type)) {
      return undefined;
    }
    // Script carriers are reported by no-scripts, which says why.
    if (/^(camunda|zeebe|activiti|flowable):(script|executionlistener|tasklistener)$/i.test(type)) return undefined;
    reporter.report(locate(node).id, `不支持的元素 ${describe(node)}`, { code: 'BPMN_UNSUPPORTED' });
    return false;
  },
});

export default supportedElements;
