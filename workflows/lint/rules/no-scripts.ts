import { checkExpressionInjection } from '../expressions.js';
import { describe, locate } from '../issues.js';
import type { RuleFactory } from '../types.js';
import { reportIssues } from '../types.js';

// Vendor elements that carry code: Camunda's script and listener elements (a Camunda Modeler export may hold them).
const SCRIPT_CARRIERS = /^(camunda|zeebe|activiti|flowable):(script|executionlistener|tasklistener|scripttask)$/i;

/** Uploaded BPMN is data, never code: no script tasks, no scripted listeners, no `${…}` placeholders. */
const noScripts: RuleFactory = () => ({
  meta: { documentation: { description: '不允许脚本：脚本任务、脚本监听器和 ${…} 表达式占位符都会被拒绝' } },
  check(node, reporter) {
    if (node.$type === 'bpmn:ScriptTask' || SCRIPT_CARRIERS.test(node.$type)) {
      reporter.report(locate(node).id, `不支持的元素 ${describe(node)}`, { code: 'BPMN_UNSUPPORTED' });
    }
    reportIssues(reporter, checkExpressionInjection([node]), undefined);
    return undefined;
  },
});

export default noScripts;
