// The words of an agency's 事前公开 profile: what its lists are sorted into and called, shared by its pages,
// its API, the CSV import and the portal.

/** The categories of administrative power (职权类别) a powers list is sorted into. */
export const POWER_CATEGORIES = [
  'licensing',
  'penalty',
  'coercion',
  'levy',
  'requisition',
  'benefit',
  'inspection',
  'confirmation',
  'reward',
  'adjudication',
  'other',
] as const;
export type PowerCategory = (typeof POWER_CATEGORIES)[number];

export const POWER_CATEGORY_LABELS: Record<PowerCategory, string> = {
  licensing: '行政许可',
  penalty: '行政处罚',
  coercion: '行政强制',
  levy: '行政征收',
  requisition: '行政征用',
  benefit: '行政给付',
  inspection: '行政检查',
  confirmation: '行政确认',
  reward: '行政奖励',
  adjudication: '行政裁决',
  other: '其他行政权力',
};

export const PROFILE_SECTIONS = ['powers', 'remedies', 'service_guides', 'inspection_items'] as const;
export type ProfileSection = (typeof PROFILE_SECTIONS)[number];
