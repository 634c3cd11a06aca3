import { readdirSync, readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { formatDateTimeZh, formatDateZh } from '../infra/date-format.js';

export const ROLE_LABELS: Record<string, string> = {
  officer: '承办人',
  reviewer: '法制审核人员',
  chief: '负责人',
  legal_admin: '法制机构管理员',
  supervisor: '司法行政监督',
  admin: '系统管理员',
};

export const CASE_STATUS_LABELS: Record<string, string> = {
  not_required: '无需审核',
  accepting: '受理审查中',
  completing: '补充材料中',
  reviewing: '法制审核中',
  correcting: '退回补正中',
  contesting: '异议期',
  rereviewing: '复核中',
  coordinating: '协调中',
  deciding: '待负责人决定',
  recording: '待记录决定',
  decided: '已作出决定',
  not_approved: '审核未通过',
  withdrawn: '已撤回',
  transferred: '已移送司法机关',
};

export const DEADLINE_LABELS: Record<string, string> = {
  none: '无期限',
  normal: '正常',
  due_soon: '即将到期',
  overdue: '已超期',
  paused: '暂停计时',
};

export const CATEGORY_LABELS: Record<string, string> = {
  licensing: '行政许可',
  penalty: '行政处罚',
  coercion: '行政强制',
  levy: '行政征收征用',
};

/** Cache header of public (portal) pages: a minute, so a withdrawn decision leaves the portal promptly. */
export const PUBLIC_CACHE = 'public, max-age=60';

/** Moments on pages and in exports: Beijing time, 2026年12月5日 09:12 (see infra/date-format.ts). */
export const formatDateTime = formatDateTimeZh;

/** An isolated Handlebars with the workbench's helpers (page text is escaped by default). */
export function createViewEngine(): typeof Handlebars {
  const hbs = Handlebars.create();
  const label = (map: Record<string, string>) => (v: unknown) => map[String(v)] ?? String(v ?? '');
  hbs.registerHelper({
    eq: (a: unknown, b: unknown) => a === b,
    ne: (a: unknown, b: unknown) => a !== b,
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
    not: (a: unknown) => !a,
    includes: (list: unknown, v: unknown) => Array.isArray(list) && list.includes(v),
    dateTime: formatDateTime,
    date: formatDateZh,
    roleLabel: label(ROLE_LABELS),
    caseStatusLabel: label(CASE_STATUS_LABELS),
    deadlineLabel: label(DEADLINE_LABELS),
    categoryLabel: label(CATEGORY_LABELS),
    json: (v: unknown) => new hbs.SafeString(JSON.stringify(v ?? null).replace(/</g, '\\u003c')),
    fileSize: (n: unknown) => {
      const v = Number(n);
      if (v >= 1 << 30) return `${(v / (1 << 30)).toFixed(1)} GB`;
      if (v >= 1 << 20) return `${(v / (1 << 20)).toFixed(1)} MB`;
      if (v >= 1 << 10) return `${(v / (1 << 10)).toFixed(0)} KB`;
      return `${v} B`;
    },
    plus: (a: unknown, b: unknown) => Number(a) + Number(b),
  });
  return hbs;
}

/**
 * Compiles every `.hbs` file of a folder once, each also a partial by its name; the returned function renders
 * one by name (no extension).
 */
export function compileViews(dir: URL, hbs = createViewEngine()) {
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    const source = readFileSync(new URL(file, dir), 'utf8');
    hbs.registerPartial(file.slice(0, -4), source);
    templates.set(file.slice(0, -4), hbs.compile(source));
  }
  return (name: string, data: Record<string, unknown>) => {
    const t = templates.get(name);
    if (!t) throw new Error(`view ${name} missing in ${dir.pathname}`);
    return t(data);
  };
}
