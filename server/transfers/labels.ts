/** What each transfer event is called on the case page's timeline. */
export const TRANSFER_EVENT_LABELS: Record<string, string> = {
  'transfer.reported': '报告移送涉嫌犯罪案件',
  'transfer.approved': '负责人批准移送（出具涉嫌犯罪案件移送书）',
  'transfer.refused': '负责人不批准移送',
  'transfer.sent': '向公安机关移送',
  'transfer.received': '公安机关在移送书回执上签字',
  'transfer.police_filed': '公安机关决定立案',
  'transfer.police_declined': '公安机关决定不予立案',
  'transfer.review_requested': '提请公安机关复议',
  'transfer.review_decided': '公安机关作出复议决定',
  'transfer.handed_over': '移交涉案物品及有关材料',
  'transfer.returned': '退回本机关继续办理',
  'transfer.reminder': '移送期限提醒',
  'transfer.overdue': '移送期限已过',
  'transfer.window_closed': '提请复议期限届满',
  'case.resumed_after_transfer': '移送后重新报送法制审核',
};
