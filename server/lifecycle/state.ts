import { formatDateZh } from '../infra/date-format.js';
import {
  isRecording,
  RECORDING_EXPECTED,
  RECORDING_REQUIRED,
  SERVICE_METHODS_RECORDED,
  type ServiceMethod,
  STAGE_LABELS,
} from './kinds.js';
import type { Lifecycle, Stage } from './queries.js';

export interface StageFile {
  stage_id: string;
  attachment_id: string;
  purpose: string;
  file_name: string;
  media_type: string;
  sm3: string;
}

/** What the notice (行政处罚事先告知书) fixed: until when the party may state its case and ask for a hearing. */
export interface NoticeDetails {
  statementDue: string;
  statementWorkingDays: number;
  hearingRight: boolean;
  hearingRequestDue: string | null;
}

export interface HearingDetails {
  requestedOn: string;
  notifiedOn?: string;
  scheduledOn?: string;
  /** 举行听证的时刻 (HH:mm); absent on hearings notified before it was required. */
  hearingTime?: string;
  place?: string;
  presider?: string;
  /** The presider as identified (a user of the department); absent on hearings notified before it was required. */
  presiderId?: string;
  heldOn?: string;
  waivedOn?: string;
  waiveReason?: 'withdrawn' | 'absent';
  factsChanged?: boolean;
  revisedFacts?: string | null;
  revisedProposal?: string | null;
}

export const latest = (stages: Stage[], kind: Stage['kind']) => stages.filter((s) => s.kind === kind).at(-1);

export const noticeOf = (stages: Stage[]) => latest(stages, 'notice')?.details as NoticeDetails | undefined;
export const hearingOf = (stages: Stage[]) => latest(stages, 'hearing');

/**
 * The law's order before a penalty decision (行政处罚法第四十四、四十五、六十二至六十五条), for a case whose
 * lifecycle is recorded: the party was told (事先告知); the 陈述申辩 period and the hearing request window have
 * passed, or the party expressly waived each (第六十二条但书; waiving 陈述、申辩 does not waive the hearing); a
 * hearing asked for was held (or given up, 第六十四条第（六）项). Returns why a decision cannot be recorded yet.
 */
export function procedureRefusal(stages: Stage[], today: string): string | null {
  const notice = noticeOf(stages);
  if (!notice) {
    return '本案尚未事先告知当事人拟作出的行政处罚内容及事实、理由、依据和陈述、申辩、要求听证等权利，不得作出行政处罚决定（行政处罚法第四十四条、第六十二条）';
  }
  const statement = latest(stages, 'statement');
  const waived = statement?.details.waived === true;
  const hearingWaived = statement?.details.hearingWaived === true;
  const hearing = hearingOf(stages)?.details as HearingDetails | undefined;
  if (!waived && today <= notice.statementDue) {
    return `陈述、申辩期限至${formatDateZh(notice.statementDue)}届满，当事人未明确放弃陈述、申辩权利，期限届满前不得作出行政处罚决定（行政处罚法第四十五条、第六十二条）`;
  }
  if (
    notice.hearingRight &&
    notice.hearingRequestDue &&
    !hearing &&
    !hearingWaived &&
    today <= notice.hearingRequestDue
  ) {
    return `当事人可在告知后五日内（至${formatDateZh(notice.hearingRequestDue)}）要求听证，期限届满前不得作出行政处罚决定（行政处罚法第六十四条第（一）项）`;
  }
  if (hearing && !hearing.heldOn && !hearing.waivedOn) {
    return '当事人已要求听证，听证尚未举行，不得作出行政处罚决定（行政处罚法第六十三条、第六十五条）';
  }
  return null;
}

export interface Flag {
  code: 'recording_missing' | 'proof_missing' | 'service_late' | 'limit_overdue' | 'limit_due_soon';
  stageId: string | null;
  message: string;
}

/** What the case page and the supervisor flag: missing recordings and proofs, the 90-day limit. */
export function flagsOf(
  lc: Lifecycle | undefined,
  stages: Stage[],
  files: StageFile[],
  today: string,
  decided: boolean,
) {
  const flags: Flag[] = [];
  const recorded = new Set(files.filter((f) => isRecording(f.media_type)).map((f) => f.stage_id));
  for (const s of stages) {
    const expects =
      RECORDING_REQUIRED.includes(s.kind) ||
      (RECORDING_EXPECTED.includes(s.kind) && (s.kind !== 'hearing' || !!s.details.heldOn)) ||
      (s.kind === 'service' && SERVICE_METHODS_RECORDED.includes(s.details.method as ServiceMethod));
    if (expects && !recorded.has(s.id)) {
      const what = s.kind === 'service' ? `${s.details.methodLabel ?? STAGE_LABELS.service}` : STAGE_LABELS[s.kind];
      flags.push({ code: 'recording_missing', stageId: s.id, message: `${what}（${s.started_on}）缺少音像记录` });
    }
    if (s.kind === 'service' && s.details.late) {
      flags.push({
        code: 'service_late',
        stageId: s.id,
        message: `当事人不在场的，应在七日内送达行政处罚决定书（行政处罚法第六十一条）；本次送达于${s.started_on}`,
      });
    }
    if (s.kind === 'service' && !files.some((f) => f.stage_id === s.id && f.purpose === 'proof')) {
      flags.push({ code: 'proof_missing', stageId: s.id, message: `送达（${s.started_on}）缺少送达回证或送达凭证` });
    }
  }
  if (lc && !decided && !lc.archived_on) {
    if (lc.overdue_at || today > lc.decision_due_on) {
      flags.push({
        code: 'limit_overdue',
        stageId: null,
        message: `已超过办案期限（${formatDateZh(lc.decision_due_on)}），尚未作出行政处罚决定（行政处罚法第六十条）`,
      });
    } else if (lc.reminded_at) {
      flags.push({
        code: 'limit_due_soon',
        stageId: null,
        message: `办案期限将于${formatDateZh(lc.decision_due_on)}届满`,
      });
    }
  }
  return flags;
}
