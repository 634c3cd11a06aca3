import { CHIEF_DECISION_LABELS, CONCLUSION_LABELS, FINDING_LABELS } from '../../cases/review-points.js';
import { KINDS } from '../../documents/kinds.js';
import { CASE_STATUS_LABELS, formatDateTime } from '../../http/view-engine.js';
import { LIFECYCLE_EVENT_LABELS } from '../../lifecycle/event-labels.js';
import { DISCLOSURE_EVENT_LABELS, UNKNOWN_EVENT_LABEL } from '../../publicity/disclosures/event-labels.js';
import { TRANSFER_EVENT_LABELS } from '../../transfers/labels.js';

/** What each recorded event is called on the case page's timeline. */
export const EVENT_LABELS: Record<string, string> = {
  'instance.started': '审核流程启动',
  'instance.completed': '审核流程结束',
  'instance.failed': '流程执行失败',
  'case.submitted': '送审',
  'case.status': '案件状态变更',
  'case.reviewer_assigned': '指派法制审核人员',
  'case.reviewer_reassigned': '回避改派审核人员',
  'case.conflict_declared': '申报回避',
  'case.resubmitted': '再次报送',
  'case.contested': '对审核意见提出异议',
  'case.opinion_accepted': '接受审核意见',
  'case.chief_decided': '负责人作出决定',
  'case.decided': '记录执法决定',
  'hint.marked': '标记争议焦点提示',
  'case.viewed_by_supervisor': '司法行政部门调阅',
  'case.viewed_by_evaluator': '案卷评查人员调阅',
  'case.evaluated': '案卷评查评分',
  'case.challenge_decided': '登记行政复议或诉讼结果',
  'discussion.opened': '发起疑难案例探讨',
  'discussion.closed': '疑难案例探讨结束并形成总结',
  'discussion.adopted': '采纳疑难案例探讨总结',
  'supervision.issued': '司法行政部门发出监督意见或纠正通知',
  'supervision.answered': '报送监督意见的办理情况',
  'supervision.returned': '监督机关退回办理情况',
  'supervision.accepted': '监督机关认可办理情况（办结）',
  'supervision.overdue': '监督意见办理超期',
  'supervision.due_recounted': '载入节假日安排后重新计算监督意见的办理期限',
  'review.opinion_signed': '签署法制审核意见书',
  'document.issued': '出具文书',
  'task.created': '任务到达',
  'task.completed': '任务办结',
  'task.cancelled': '任务取消',
  'task.reminder': '期限提醒',
  'task.overdue': '任务超期',
  'timer.scheduled': '开始计时',
  'timer.fired': '期限届满',
  'timer.cancelled': '停止计时',
  'deadline.extension_requested': '申请延期',
  'deadline.extended': '批准延期',
  'deadline.extension_rejected': '不予延期',
  'deadline.paused': '暂停计时',
  'deadline.resumed': '恢复计时',
  'deadline.recomputed': '按节假日安排重新计算期限',
  'timer.recomputed': '按节假日安排重新计算计时器',
  'service.record': '自动处理',
  'attachment.uploaded': '上传附件',
  ...DISCLOSURE_EVENT_LABELS,
  ...TRANSFER_EVENT_LABELS,
  ...LIFECYCLE_EVENT_LABELS,
};

export { UNKNOWN_EVENT_LABEL };

export const DOCUMENT_KIND_LABELS: Record<string, string> = Object.fromEntries(
  Object.values(KINDS).map((k) => [k.kind, k.name]),
);

export const MEASURE_LABELS: Record<string, string> = {
  fine: '罚款',
  confiscation: '没收违法所得、非法财物',
  licence_revocation: '吊销许可证件',
  suspension: '责令停产停业',
  closure: '责令关闭',
  detention: '行政拘留',
  seizure: '查封、扣押',
  demolition: '强制拆除',
  levy: '征收征用',
  licence_grant: '准予许可',
  licence_denial: '不予许可',
  other: '其他',
};

export const PARTY_TYPE_LABELS: Record<string, string> = { person: '自然人', organization: '法人或者其他组织' };
export const ATTESTED_BY_LABELS: Record<string, string> = { officer: '承办人', chief: '承办机构负责人' };
export { CHIEF_DECISION_LABELS, CONCLUSION_LABELS, FINDING_LABELS };

const OVERRIDE_LABELS: Record<string, string> = { review: '法制审核意见', proposal: '承办机构拟处理意见' };

const str = (v: unknown) => (typeof v === 'string' ? v : v == null ? '' : String(v));
const labelOf = (map: Record<string, string>, v: unknown) => map[str(v)] ?? str(v);

/** The details of an event in a line of Chinese, from its payload; element names come from the diagram. */
export function describeEvent(
  type: string,
  payload: Record<string, unknown>,
  elementName: string | null,
  userName: (id: unknown) => string,
): string {
  const by = responsibleOf(payload);
  if (type === 'case.reviewer_assigned' && by) return `审核人员：${by}`;
  const detail = eventDetail(type, payload, elementName, userName);
  return by ? (detail ? `${detail}（${by}）` : by) : detail;
}

/** "执法稽查局 王强（执法人员）": who took responsibility for an event, as its record names them. */
function responsibleOf(payload: Record<string, unknown>): string {
  const by = payload.by as { name?: unknown; unit?: unknown; position?: unknown } | null | undefined;
  if (!by || typeof by !== 'object' || !str(by.name)) return '';
  const unit = str(by.unit);
  return `${unit ? `${unit} ` : ''}${str(by.name)}${str(by.position) ? `，${str(by.position)}` : ''}`;
}

function eventDetail(
  type: string,
  payload: Record<string, unknown>,
  elementName: string | null,
  userName: (id: unknown) => string,
): string {
  const p = payload;
  switch (type) {
    case 'case.submitted':
      return p.handlingUnit ? `承办机构：${str(p.handlingUnit)}；${str(p.reason)}` : str(p.reason);
    case 'case.status':
      return `${labelOf(CASE_STATUS_LABELS, p.from)} → ${labelOf(CASE_STATUS_LABELS, p.to)}`;
    case 'case.reviewer_assigned':
      return `审核人员：${str(p.reviewerName) || userName(p.reviewerId)}${p.basis ? `（${str(p.basis)}）` : ''}`;
    case 'case.reviewer_reassigned':
      return `由 ${userName(p.from)} 改派为 ${str(p.toName) || userName(p.to)}${p.basis ? `（${str(p.basis)}）` : ''}`;
    case 'case.conflict_declared':
      return `${userName(p.userId)}：${str(p.reason)}`;
    case 'case.resubmitted':
      return `第 ${str(p.round)} 轮，修改 ${str(p.changes)} 项`;
    case 'case.contested':
      return `异议理由：${str(p.reasons)}`;
    case 'review.opinion_signed':
      return `${p.kind === 'rereview' ? '复核意见' : '审核意见'}（第 ${str(p.round)} 轮）：${str(p.conclusionLabel)}`;
    case 'case.chief_decided': {
      const overrides = Array.isArray(p.overrides) ? p.overrides.map((o) => labelOf(OVERRIDE_LABELS, o)) : [];
      const decision = labelOf(CHIEF_DECISION_LABELS, p.decision);
      return overrides.length ? `${decision}（不同于${overrides.join('、')}，由负责人承担责任）` : decision;
    }
    case 'hint.marked':
      return `${str(p.title)}：${str(p.statusLabel)}${p.note ? `（${str(p.note)}）` : ''}`;
    case 'case.decided':
      return `决定书文号 ${str(p.number)}，决定日期 ${str(p.date)}`;
    case 'document.issued':
      return `${labelOf(DOCUMENT_KIND_LABELS, p.kind)} ${str(p.number)}`;
    case 'deadline.extension_requested':
      return `申请延长 ${str(p.workingDays)} 个工作日：${str(p.reason)}`;
    case 'deadline.extended':
      return `延长 ${str(p.workingDays)} 个工作日`;
    case 'deadline.paused':
    case 'deadline.resumed':
      return str(p.reason);
    case 'instance.failed':
      return str(p.message);
    case 'attachment.uploaded':
      return `${str(p.fileName)}（第 ${str(p.round)} 轮）`;
    case 'disclosure.published':
      return p.timely === false ? '逾期公开' : '按期公开';
    case 'disclosure.withdrawn':
    case 'disclosure.expired':
      return `撤下理由：${str(p.reason)}`;
    case 'disclosure.reminded':
    case 'disclosure.overdue':
      return `公开期限 ${formatDateTime(p.dueAt)}`;
    case 'disclosure.due_recounted':
      return `公开期限由 ${formatDateTime(p.from)} 改为 ${formatDateTime(p.to)}`;
    default:
      return elementName ?? '';
  }
}
