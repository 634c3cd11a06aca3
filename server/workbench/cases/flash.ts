/**
 * Messages shown after POST/redirect/GET. The redirect carries a code (never text), so a link cannot make a
 * page say something the server did not.
 */
const MESSAGES: Record<string, { kind: 'ok' | 'warn'; text: string }> = {
  submitted: { kind: 'ok', text: '已送审。可以在下方“附件”中上传证据、音视频等送审附件。' },
  recorded: { kind: 'ok', text: '已保存。本案不属于目录清单所列重大执法决定，未启动法制审核。' },
  decided: { kind: 'ok', text: '已记录执法决定。' },
  uploaded: { kind: 'ok', text: '附件已上传。' },
  completed: { kind: 'ok', text: '已提交，流程已进入下一步。' },
  extension_requested: { kind: 'ok', text: '延期申请已提交，等待负责人或法制机构审批。' },
  extension_approved: { kind: 'ok', text: '已批准延期，办理期限已重新计算。' },
  extension_rejected: { kind: 'warn', text: '已驳回延期申请。' },
  draft_saved: { kind: 'ok', text: '草稿已保存。' },
  draft_discarded: { kind: 'ok', text: '草稿已清除。' },
  challenge_recorded: { kind: 'ok', text: '已登记行政复议或行政诉讼结果。' },
  challenge_unpublished: {
    kind: 'warn',
    text: '已登记。决定在公开前被纠错，原决定不予公开，其公开期限随之取消（行政处罚法第四十八条第二款）。',
  },
  challenge_withdraw: {
    kind: 'warn',
    text: '已登记。决定被纠错，已公开的决定信息须在三个工作日内撤回并公开说明理由（行政处罚法第四十八条第二款），请到“执法公示”办理。',
  },
};

export function flashFor(code: unknown) {
  return typeof code === 'string' ? MESSAGES[code] : undefined;
}

/** A same-site path to go back to after a form, or the fallback. */
export function safeBack(back: unknown, fallback: string): string {
  return typeof back === 'string' && /^\/(cases|tasks)\/[0-9a-f-]{36}$/.test(back) ? back : fallback;
}
