import { TASK_ROLES } from '../elements.js';
import { describe } from '../issues.js';
import type { RuleFactory } from '../types.js';

const roles = TASK_ROLES.join('、');

/** Every user task names the role that works on it (承办人员、法制审核人员、负责人、法制机构); no role, no task list. */
const userTaskRole: RuleFactory = () => ({
  meta: { documentation: { description: '每个用户任务都须指定办理角色（fashen:role）' } },
  check(node, reporter) {
    if (node.$type !== 'bpmn:UserTask') return undefined;
    const role = typeof node.role === 'string' ? node.role : undefined;
    if (!role) {
      reporter.report(node.id, `${describe(node)}缺少 fashen:role（可用：${roles}）`, { code: 'BPMN_INVALID' });
    } else if (!(TASK_ROLES as readonly string[]).includes(role)) {
      reporter.report(node.id, `${describe(node)}的 fashen:role“${role}”无效（可用：${roles}）`, {
        code: 'BPMN_INVALID',
      });
    }
    return undefined;
  },
});

export default userTaskRole;
