import type { CatalogueDiff, FlowDiff } from './diff-types.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (v: unknown) => String(v ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);

const item = (i: { code: string; name: string; categoryLabel: string }) =>
  `<strong>${esc(i.code)}</strong> ${esc(i.name)}（${esc(i.categoryLabel)}）`;

/**
 * The catalogue's item-level diff as HTML, the same on the workbench and on the public portal: items added and
 * removed, and for each changed item a table of its changed fields, before and after.
 */
export function catalogueDiffHtml(diff: CatalogueDiff): string {
  const parts: string[] = [];
  if (diff.added.length + diff.removed.length + diff.changed.length === 0) {
    return '<p class="muted catalogue-diff">目录清单没有变化。</p>';
  }
  if (diff.added.length > 0) {
    parts.push(`<h4>新增事项（${diff.added.length} 项）</h4><ul class="diff-added">`);
    for (const i of diff.added) parts.push(`<li>${item(i)}</li>`);
    parts.push('</ul>');
  }
  if (diff.removed.length > 0) {
    parts.push(`<h4>删除事项（${diff.removed.length} 项）</h4><ul class="diff-removed">`);
    for (const i of diff.removed) parts.push(`<li>${item(i)}</li>`);
    parts.push('</ul>');
  }
  if (diff.changed.length > 0) {
    parts.push(`<h4>修改事项（${diff.changed.length} 项）</h4>`);
    for (const c of diff.changed) {
      parts.push(
        `<p class="diff-item">${item(c)}</p><table class="list diff-fields"><thead><tr><th scope="col">字段</th><th scope="col">变更前</th><th scope="col">变更后</th></tr></thead><tbody>`,
      );
      for (const f of c.fields) {
        parts.push(`<tr><th scope="row">${esc(f.label)}</th><td>${esc(f.before)}</td><td>${esc(f.after)}</td></tr>`);
      }
      parts.push('</tbody></table>');
    }
  }
  return `<div class="catalogue-diff">${parts.join('')}</div>`;
}

/** One line on the flow's elements: how many were added, removed and changed. */
export function flowDiffSummary(diff: FlowDiff, first: boolean): string {
  if (first) return '首次部署';
  const total = diff.added.length + diff.removed.length + diff.changed.length;
  if (total === 0) return '流程环节没有变化';
  return `流程元素新增 ${diff.added.length} 个、删除 ${diff.removed.length} 个、修改 ${diff.changed.length} 个`;
}

const TYPE_LABELS: Record<string, string> = {
  Process: '流程',
  UserTask: '人工任务',
  ServiceTask: '服务任务',
  StartEvent: '开始事件',
  EndEvent: '结束事件',
  ExclusiveGateway: '排他网关',
  ParallelGateway: '并行网关',
  SequenceFlow: '顺序流',
  BoundaryEvent: '边界事件',
  IntermediateCatchEvent: '中间事件',
  SubProcess: '子流程',
};

/** The flow's element diff as lists, for the approver and the supervisors. */
export function flowDiffHtml(diff: FlowDiff): string {
  const line = (e: { id: string; type: string; name: string | null }) =>
    `${esc(e.name || e.id)}（${esc(TYPE_LABELS[e.type] ?? e.type)}，${esc(e.id)}）`;
  const list = (title: string, rows: string[]) =>
    rows.length === 0
      ? ''
      : `<h4>${title}（${rows.length} 个）</h4><ul>${rows.map((r) => `<li>${r}</li>`).join('')}</ul>`;
  const html = [
    list('新增元素', diff.added.map(line)),
    list('删除元素', diff.removed.map(line)),
    list(
      '修改元素',
      diff.changed.map(
        (c) =>
          `${line(c)}：${esc(c.attributes.map((a) => (a === 'extensionElements' ? '扩展属性（含目录清单）' : a)).join('、'))}`,
      ),
    ),
  ].join('');
  return html === '' ? '<p class="muted">流程元素没有变化。</p>' : `<div class="flow-diff">${html}</div>`;
}
