import type { BaseElement } from 'bpmn-moddle';
import { cataloguesOf } from '../catalogue.js';
import type { RuleFactory } from '../types.js';
import { allElements, childOf, childrenOf, stringOf } from '../walk.js';

const MAX_NESTING = 40;
/** A condition that sends the case to 集体讨论 when its catalogue item requires it. */
const COLLECTIVE_TERM = /(^|[^\w])collectiveDiscussion\s*(=\s*true|!=\s*false)(?![\w])/;

const isChiefVote = (e: BaseElement) =>
  e.$type === 'bpmn:UserTask' &&
  stringOf(e, 'role') === 'chief' &&
  childOf(e, 'loopCharacteristics')?.$type === 'bpmn:MultiInstanceLoopCharacteristics';

const conditionOf = (e: BaseElement) => stringOf(childOf(e, 'conditionExpression') ?? ({} as BaseElement), 'body');

/**
 * 行政处罚法第五十七条第二款: when a catalogue item marks a case as requiring 集体讨论 (情节复杂或者重大违法行为),
 * the flow must have the branch that takes it there — a condition on `collectiveDiscussion = true` and the
 * leaders' vote (负责人会签, a multi-instance user task of the chief's role). Without it the mark would be ignored
 * and the chief would decide alone.
 */
const collectiveDiscussion: RuleFactory = () => ({
  meta: {
    documentation: {
      description: '目录清单事项标记须集体讨论的，流程须有集体讨论分支（collectiveDiscussion = true）和负责人会签',
    },
  },
  check(node, reporter) {
    if (node.$type !== 'bpmn:Process') return undefined;
    const catalogue = cataloguesOf(node)[0];
    if (!catalogue) return undefined;
    const marked = childrenOf(catalogue, 'items').filter((i) => stringOf(i, 'collectiveDiscussion')?.trim() === 'true');
    if (marked.length === 0) return undefined;
    const { elements } = allElements(node, MAX_NESTING);
    const branch = elements.some(
      (e) => e.$type === 'bpmn:SequenceFlow' && COLLECTIVE_TERM.test((conditionOf(e) ?? '').trim()),
    );
    const vote = elements.some(isChiefVote);
    if (branch && vote) return undefined;
    const codes = marked.map((i) => stringOf(i, 'code')?.trim() || '（无编号）').join('、');
    const missing = [
      branch ? null : '以 collectiveDiscussion = true 为条件的分支',
      vote ? null : '负责人会签（角色为负责人的多实例用户任务）',
    ]
      .filter(Boolean)
      .join('和');
    reporter.report(
      node.id,
      `目录清单事项 ${codes} 标记须集体讨论（行政处罚法第五十七条第二款），但流程缺少${missing}：否则负责人将单独决定`,
      { code: 'BPMN_INVALID' },
    );
    return undefined;
  },
});

export default collectiveDiscussion;
