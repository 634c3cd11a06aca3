/** The stages of a case around the review (执法全过程记录：启动、调查取证、审核决定、送达执行). */
export const STAGE_LABELS = {
  filing: '立案',
  investigation: '调查取证',
  onsite: '现场执法',
  seizure: '查封扣押',
  demolition: '强制拆除',
  notice: '事先告知',
  statement: '陈述申辩',
  hearing: '听证',
  service: '送达',
  execution: '执行',
  archive: '结案归档',
} as const;

export type StageKind = keyof typeof STAGE_LABELS;

/** Stages the officer opens and later closes (the others are recorded as single acts). */
export const OPENABLE_KINDS = ['investigation', 'onsite', 'seizure', 'demolition'] as const;

/** 全程音像记录 required: the stage cannot be closed without an audio or video file (seed 四(二)). */
export const RECORDING_REQUIRED: readonly StageKind[] = ['seizure', 'demolition'];

/** 音像记录 expected: a missing recording is flagged (现场执法、调查取证、听证、留置送达、公告送达). */
export const RECORDING_EXPECTED: readonly StageKind[] = ['onsite', 'investigation', 'hearing'];

export const SERVICE_METHODS = {
  direct: '直接送达',
  left: '留置送达',
  post: '邮寄送达',
  electronic: '电子送达',
  public_notice: '公告送达',
} as const;
export type ServiceMethod = keyof typeof SERVICE_METHODS;

/** 留置送达 and 公告送达 are expected on record as audio/video. */
export const SERVICE_METHODS_RECORDED: readonly ServiceMethod[] = ['left', 'public_notice'];

export const EXECUTION_MODES = {
  voluntary: '自觉履行（缴纳罚款）',
  enforced: '行政强制执行',
  court: '申请人民法院强制执行',
} as const;
export type ExecutionMode = keyof typeof EXECUTION_MODES;

/** Whether a stored file is a recording: by the type its content was sniffed as, never by its name. */
export const isRecording = (mediaType: string) => mediaType.startsWith('audio/') || mediaType.startsWith('video/');

/** 行政处罚法第六十条: 九十日 from 立案 (calendar days; art. 85 makes only 二、三、五、七日 working days). */
export const DECISION_LIMIT_DAYS = 90;
/** Reminder before the 90-day limit, in calendar days. */
export const LIMIT_REMINDER_DAYS = 10;
/** 第六十四条第（一）项: a hearing is asked for within 五日 of the notice (working days, art. 85). */
export const HEARING_REQUEST_WORKING_DAYS = 5;
/** 第六十四条第（二）项: the party is told 七日 before the hearing (working days, art. 85). */
export const HEARING_NOTICE_WORKING_DAYS = 7;
/** The 陈述申辩 period the notice states when the officer gives none (the law fixes none; 五个工作日 is usual). */
export const DEFAULT_STATEMENT_WORKING_DAYS = 5;
