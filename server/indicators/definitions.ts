/** The 评议考核 indicators: what each counts, in the words the justice bureau reports them. */
export const INDICATORS = {
  review_coverage: {
    subject: 'case',
    label: '法制审核覆盖率',
    better: 'higher',
    definition:
      '本年度作出决定、依目录清单应当进行法制审核的案件中，作出决定前经法制审核（有审核意见）的比例。分母：应审核并已作出决定的案件；分子：其中有法制审核意见的案件。',
  },
  review_on_time: {
    subject: 'case',
    label: '法制审核按时率',
    better: 'higher',
    definition:
      '审核期限（含经批准的延长）届满日在本年度内的法制审核、复核任务中，按期完成的比例。期限未到或暂停计时的未完成任务不计入。',
  },
  disclosure_on_time: {
    subject: 'case',
    label: '执法决定按时公开率',
    better: 'higher',
    definition: '公开期限届满日在本年度内、已公开或已逾期的执法决定中，在期限内公开的比例。',
  },
  decisions_corrected: {
    subject: 'case',
    label: '复议诉讼纠错率',
    better: 'lower',
    definition:
      '本年度作出的执法决定中，经行政复议或行政诉讼被变更、撤销、确认违法或确认无效的比例（越低越好）。分子按结果登记时的决定计入其决定年度。',
  },
  complaints_on_time: {
    subject: 'complaint',
    label: '投诉举报按期答复率',
    better: 'higher',
    definition: '答复期限届满日在本年度内、已答复或已超期的投诉举报中，在期限内答复的比例。期限未到且未答复的不计入。',
  },
  satisfaction: {
    subject: 'case',
    label: '当事人满意率',
    better: 'higher',
    definition:
      '本年度当事人在办理进度查询时作出的满意度评价中，评价为“满意”或“基本满意”的比例。每案只计最后一次评价；目标为 90% 以上。',
  },
  supervision_on_time: {
    subject: 'supervision',
    label: '监督意见按期办结率',
    better: 'higher',
    definition:
      '办理期限届满日在本年度内的监督意见、纠正通知中，被监督机关在期限内报送办理情况、且该办理情况已被认可或待监督机关审查的比例。期限未到且未办结的不计入；被退回后未在期限内重新报送的计为未按期。',
  },
} as const satisfies Record<
  string,
  { subject: 'case' | 'complaint' | 'supervision'; label: string; better: string; definition: string }
>;

export type IndicatorKey = keyof typeof INDICATORS;
export const INDICATOR_KEYS = Object.keys(INDICATORS) as IndicatorKey[];
