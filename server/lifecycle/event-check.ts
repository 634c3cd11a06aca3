import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { StageEvent } from './schemas.js';

/** The fields of the stage events as the officer knows them. */
export const FIELD_LABELS: Record<string, string> = {
  date: '日期',
  kind: '环节',
  hearingDate: '举行听证日期',
  hearingTime: '举行听证时刻',
  place: '听证地点',
  presider: '听证主持人',
  presiderId: '听证主持人',
  reason: '理由',
  method: '送达方式',
  recipient: '受送达人或签收人',
  servicePlace: '送达地点',
  servedDocuments: '送达的文书',
  witness: '见证人',
  refusalReason: '拒收事由',
  attachmentIds: '送达凭证',
  mode: '执行方式',
  days: '延长天数',
  basis: '延长依据',
  statementWorkingDays: '陈述申辩期限',
};

type Branch = TSchema & { properties: Record<string, TSchema & { const?: string; description?: string }> };
const BRANCHES = new Map((StageEvent.anyOf as Branch[]).map((b) => [b.properties.type.const as string, b] as const));

/**
 * The first problem of an event as sent, named by its field. The event's own type is checked, not the union of
 * all types, whose error could only say that the body matches none of them. Null when the type is unknown (the
 * schema then lists the types) or nothing is wrong.
 */
export function eventProblem(body: unknown): { field: string; message: string } | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const branch = BRANCHES.get(String((body as { type?: unknown }).type));
  if (!branch) return null;
  const [first] = Value.Errors(branch, body);
  if (!first) return null;
  const missing = first.keyword === 'required' ? (first.params as { requiredProperties?: string[] }) : null;
  const field = missing?.requiredProperties?.[0] ?? (first.instancePath.slice(1).split('/')[0] || 'type');
  const label = FIELD_LABELS[field] ?? field;
  const described = branch.properties[field]?.description;
  const what = `“${label}”（${field}）${missing ? '为必填项' : '有误'}`;
  return { field, message: described ? `${what}：${described}` : what };
}
