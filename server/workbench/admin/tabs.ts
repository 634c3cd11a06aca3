import { ROLE_LABELS } from '../../http/view-engine.js';
import { ROLES } from '../../identity/directory.js';
import { REVIEWER_KIND_LABELS } from '../dashboard/stats-labels.js';

export const ADMIN_HEAD = '<link rel="stylesheet" href="/assets/stats.css">';

const TABS = [
  { href: '/admin', label: '概览' },
  { href: '/admin/departments', label: '执法机关' },
  { href: '/admin/users', label: '用户与角色' },
  { href: '/admin/pool', label: '审核人才库' },
  { href: '/admin/conflicts', label: '回避记录' },
  { href: '/admin/calendar', label: '工作日历' },
  { href: '/admin/webhooks', label: 'Webhook 订阅' },
  { href: '/admin/intake', label: '办案系统接入' },
  { href: '/admin/export', label: '数据共享' },
];

/**
 * The administration section's own navigation, built from constants only (no user data), so the views
 * may insert it unescaped.
 */
export function adminTabs(current: string): string {
  const items = TABS.map(
    (t) => `<li><a href="${t.href}"${t.href === current ? ' aria-current="page"' : ''}>${t.label}</a></li>`,
  ).join('');
  return `<nav class="subnav" aria-label="系统管理"><ul>${items}</ul></nav>`;
}

/** Role checkboxes for a form, ticked as given. */
export function roleOptions(selected: readonly string[]) {
  return ROLES.map((code) => ({ code, label: ROLE_LABELS[code], checked: selected.includes(code) }));
}

export function reviewerKindOptions(selected: string | null) {
  return Object.entries(REVIEWER_KIND_LABELS).map(([code, label]) => ({
    code,
    label,
    selected: code === (selected || 'staff'),
  }));
}
