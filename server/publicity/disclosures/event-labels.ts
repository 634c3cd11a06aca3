/** What each event of a disclosure is called, on its own history and on the case's timeline. */
export const DISCLOSURE_EVENT_LABELS: Record<string, string> = {
  'disclosure.created': '生成待公开的决定信息',
  'disclosure.published': '决定信息已公开',
  'disclosure.withdrawn': '撤下已公开的决定信息',
  'disclosure.withdrawal_required': '复议或诉讼纠错，须撤回公开的决定信息',
  'disclosure.cancelled': '决定在公开前被复议或诉讼纠正，不予公开',
  'disclosure.reminded': '公开期限提醒',
  'disclosure.overdue': '公开超期',
  'disclosure.due_recounted': '按节假日安排重新计算公开期限',
  'disclosure.expired': '公开期满',
};

/** An event recorded by a capability a page does not know yet is still shown, under a general name. */
export const UNKNOWN_EVENT_LABEL = '系统记录';
