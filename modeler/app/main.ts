import fashenModdle from '../../workflows/fashen-moddle.json';
import { addDiagram, hasDiagram } from '../../workflows/layout.js';
import { ApiError, api, type Workspace } from '../api/client.js';
import { clearDiff, showDiff } from '../diff/index.js';
import { blankProcess } from './blank.js';
import { createModeler, createViewer, type Editor, isModeler } from './editor.js';
import { type FitCanvas, fitDiagram } from './fit.js';
import { lintProblems, problemList, warningList } from './problems.js';
import { button, dateTime, el, hidePanel, list, prompt, showPanel, status } from './ui.js';
import './styles.css';

interface Opened {
  processKey: string;
  /** The deployed version the editor's content started from. */
  baseVersion: number | null;
  /** The draft revision loaded or last saved; null when no draft exists yet. */
  revision: number | null;
  dirty: boolean;
}

let workspace: Workspace;
let editor: Editor;
let opened: Opened = { processKey: '', baseVersion: null, revision: null, dirty: false };

const canEdit = () => workspace.canEdit;
const entryOf = (key: string) => workspace.workflows.find((w) => w.processKey === key);

/** Imports a document; returns the vendor elements the editor could not read (and so dropped). */
async function importXml(xml: string): Promise<string[]> {
  const source = hasDiagram(xml) ? xml : await addDiagram(xml, { fashen: fashenModdle });
  // bpmn-js types its warnings as strings; they are moddle-xml's warning objects.
  const warnings = (await editor.importXML(source)).warnings as unknown as { message: string }[];
  fitDiagram(
    editor.get('canvas') as FitCanvas,
    document.querySelector('.djs-palette'),
    document.querySelector('.bts-toggle-mode'),
  );
  opened.dirty = false;
  // Vendor attributes are kept and ignored by the runtime; vendor elements the editor cannot read are dropped.
  const dropped = warnings.filter((w) => !w.message.startsWith('unknown attribute'));
  return dropped.map((w) => {
    const tag = /<([\w.-]+:[\w.-]+)/.exec(w.message)?.[1];
    return tag ? `不支持的元素 ${tag}（无法识别，导入时已移除）` : `导入警告：${w.message.split('\n')[0]}`;
  });
}

async function saveXml(): Promise<string> {
  const { xml } = await editor.saveXML({ format: true });
  return xml ?? '';
}

async function open(processKey: string): Promise<void> {
  const entry = entryOf(processKey);
  hidePanel();
  opened = { processKey, baseVersion: entry?.latest?.version ?? null, revision: null, dirty: false };
  if (canEdit() && entry?.draft) {
    const draft = await api.draft(processKey);
    opened = { processKey, baseVersion: draft.baseVersion, revision: draft.revision, dirty: false };
    await importXml(draft.xml);
    status(
      `草稿第 ${draft.revision} 稿（${draft.savedByName} 保存于 ${dateTime(draft.savedAt)}），基于第 ${draft.baseVersion ?? '—'} 版`,
    );
  } else if (entry?.latest) {
    await importXml(await api.versionXml(processKey, entry.latest.version));
    status(`第 ${entry.latest.version} 版（${dateTime(entry.latest.deployedAt)} 部署）${canEdit() ? '' : '，只读'}`);
  } else {
    await importXml(blankProcess(processKey));
    status('新流程：尚未部署');
  }
  (document.getElementById('fm-process') as HTMLSelectElement).value = processKey;
}

async function saveDraft(): Promise<void> {
  try {
    const saved = await api.saveDraft(opened.processKey, {
      xml: await saveXml(),
      baseVersion: opened.baseVersion,
      expectedRevision: opened.revision,
    });
    opened.revision = saved.revision;
    opened.dirty = false;
    workspace = await api.workspace();
    status(`草稿已保存（第 ${saved.revision} 稿，${dateTime(saved.savedAt)}）`, 'ok');
  } catch (err) {
    status(`保存失败：${(err as Error).message}`, 'error');
  }
}

async function discardDraft(): Promise<void> {
  if (!window.confirm('放弃草稿并回到已部署的版本？')) return;
  try {
    await api.discardDraft(opened.processKey);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) return status((err as Error).message, 'error');
  }
  workspace = await api.workspace();
  await open(opened.processKey);
}

async function check(): Promise<boolean> {
  const local = await lintProblems(editor);
  const server = await api.check(await saveXml());
  const problems = server.ok ? [] : (server.problems ?? []);
  const seen = new Set(problems.map((p) => p.message));
  const all = [...problems, ...local.filter((p) => !seen.has(p.message))];
  showPanel(
    all.length === 0 ? '检查通过：可以部署' : `检查发现 ${all.length} 个问题`,
    problemList(editor, all, '没有发现问题。'),
    ...warningList(editor, server.warnings),
  );
  status(all.length === 0 ? '检查通过' : `有 ${all.length} 个问题须修正后才能部署`, all.length ? 'error' : 'ok');
  return all.length === 0;
}

async function compare(version = entryOf(opened.processKey)?.latest?.version): Promise<void> {
  if (!version) return status('本流程尚未部署，无可对比的版本', 'error');
  const summary = await showDiff(editor, await api.versionXml(opened.processKey, version));
  const line = (e: { id: string; name: string; type: string }) => `${e.name || e.id}（${e.type}）`;
  showPanel(
    `与第 ${version} 版的差异`,
    el('h3', { class: 'fm-added' }, `新增 ${summary.added.length}`),
    list(summary.added.map(line), '无'),
    el('h3', { class: 'fm-removed' }, `删除 ${summary.removed.length}`),
    list(summary.removed.map(line), '无'),
    el('h3', { class: 'fm-changed' }, `修改 ${summary.changed.length}`),
    list(
      summary.changed.map((c) => `${line(c)}：${c.attributes.join('、')}`),
      '无',
    ),
    el('h3', {}, `位置变化 ${summary.layoutChanged.length}`),
    list(summary.layoutChanged.map(line), '无'),
    button('清除标记', () => clearDiff(editor)),
  );
}

async function deploy(): Promise<void> {
  if (!(await check())) return;
  const note = await prompt('提出部署申请', '变更说明（必填，记入版本记录并向社会公开）', '提交申请');
  if (!note) return;
  try {
    const proposed = await api.propose(await saveXml(), note);
    hidePanel();
    if (proposed.unchanged) return status('与最新版本相同，无须部署', 'ok');
    showPanel(
      '已提交部署申请',
      el('p', {}, '须由本机关另一名法制机构管理员审批（双人复核）；批准后才部署为新版本，办理中的案件仍按原版本运行。'),
      el('a', { href: `/changes/${proposed.id}`, id: 'fm-request-link' }, '查看申请及目录清单差异'),
      ...warningList(editor, proposed.warnings),
    );
    status('已提交部署申请，待本机关另一名法制机构管理员审批', 'ok');
  } catch (err) {
    const problems = err instanceof ApiError ? (err.details?.problems ?? []) : [];
    showPanel('部署申请被拒绝', el('p', {}, (err as Error).message), problemList(editor, problems, ''));
    status(`部署申请被拒绝：${(err as Error).message}`, 'error');
  }
}

async function versions(): Promise<void> {
  if (!entryOf(opened.processKey)?.latest) return status('本流程尚未部署', 'error');
  const rows = await api.versions(opened.processKey);
  showPanel(
    `版本记录（${rows.length}）`,
    el(
      'ol',
      { class: 'fm-versions', reversed: '' },
      ...rows.map((v) =>
        el(
          'li',
          {},
          el('strong', {}, `第 ${v.version} 版`),
          ` ${dateTime(v.deployedAt)} · ${v.deployedByName ?? '系统'}`,
          el('div', { class: 'fm-note' }, v.changeNote ?? '（无变更说明）'),
          button('与当前对比', () => compare(v.version), { class: 'fm-small' }),
        ),
      ),
    ),
  );
}

async function importFile(): Promise<void> {
  const input = el('input', { type: 'file', accept: '.bpmn,.xml' });
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    let dropped: string[];
    try {
      dropped = await importXml(await file.text());
    } catch (err) {
      return status(`无法打开 ${file.name}：${(err as Error).message}`, 'error');
    }
    const process = (editor.getDefinitions().rootElements ?? []).find(
      (e: { $type: string }) => e.$type === 'bpmn:Process',
    );
    const processKey = (process?.id as string | undefined) ?? opened.processKey;
    opened = { processKey, baseVersion: entryOf(processKey)?.latest?.version ?? null, revision: null, dirty: true };
    const unsupported = [
      ...(await lintProblems(editor, ['supported-elements', 'no-scripts'])),
      ...dropped.map((message) => ({ code: 'BPMN_UNSUPPORTED', elementId: null, elementType: null, message })),
    ];
    showPanel(
      unsupported.length ? `导入的文件含 ${unsupported.length} 处不受支持的内容` : '已导入',
      problemList(editor, unsupported, `${file.name} 只使用了受支持的元素；检查通过后即可部署。`),
    );
    status(
      `已导入 ${file.name}${unsupported.length ? '（含不受支持的元素）' : ''}`,
      unsupported.length ? 'error' : 'ok',
    );
  });
  input.click();
}

function download(name: string, type: string, content: string): void {
  const link = el('a', { href: URL.createObjectURL(new Blob([content], { type })), download: name });
  link.click();
  URL.revokeObjectURL(link.href);
}

function simulate(): void {
  (editor.get('toggleMode') as { toggleMode(): void }).toggleMode();
}

function fillProcessSelect(): void {
  const select = document.getElementById('fm-process') as HTMLSelectElement;
  select.replaceChildren(
    ...workspace.workflows.map((w) =>
      el('option', { value: w.processKey }, `${w.name ?? w.processKey}${w.draft && canEdit() ? '（有草稿）' : ''}`),
    ),
  );
  select.value = opened.processKey;
}

function toolbar(): void {
  const bar = document.getElementById('fm-toolbar')!;
  const editing = canEdit()
    ? [
        button('保存草稿', saveDraft, { id: 'fm-save' }),
        button('放弃草稿', discardDraft, { id: 'fm-discard' }),
        button('检查', check, { id: 'fm-check' }),
        button('提出部署申请…', deploy, { id: 'fm-deploy', class: 'fm-primary' }),
        button('导入文件…', importFile, { id: 'fm-import' }),
      ]
    : [el('span', { class: 'fm-readonly' }, '只读：仅本机关法制机构管理员可以编辑和提出部署申请')];
  bar.replaceChildren(
    ...editing,
    button('对比已部署版本', () => compare(), { id: 'fm-compare' }),
    button('版本记录', versions, { id: 'fm-versions' }),
    button('模拟办理', simulate, { id: 'fm-simulate' }),
    button('导出 BPMN', async () => download(`${opened.processKey}.bpmn`, 'application/xml', await saveXml())),
    button('导出 SVG', async () => download(`${opened.processKey}.svg`, 'image/svg+xml', (await editor.saveSVG()).svg)),
  );
}

async function boot(): Promise<void> {
  const [me, ws] = await Promise.all([api.me(), api.workspace()]);
  workspace = ws;
  document.getElementById('fm-user')!.textContent = `${me.displayName} · ${workspace.department.name}`;
  const canvas = document.getElementById('fm-canvas')!;
  editor = canEdit()
    ? createModeler(canvas, document.getElementById('fm-properties')!, workspace.services)
    : createViewer(canvas);
  document.body.classList.toggle('fm-viewer', !isModeler(editor));
  // For the browser tests and for support staff at the console.
  (window as unknown as { fashenEditor: Editor }).fashenEditor = editor;
  editor.on('commandStack.changed', () => {
    opened.dirty = true;
  });
  window.addEventListener('beforeunload', (event) => {
    if (opened.dirty) event.preventDefault();
  });
  const select = document.getElementById('fm-process') as HTMLSelectElement;
  select.addEventListener('change', () => {
    if (opened.dirty && !window.confirm('当前修改尚未保存为草稿，确定切换流程？')) {
      select.value = opened.processKey;
      return;
    }
    void open(select.value);
  });
  toolbar();
  const first = entryOf('legal_review')?.processKey ?? workspace.workflows[0]?.processKey ?? 'legal_review';
  opened.processKey = first;
  fillProcessSelect();
  await open(first);
  document.body.dataset.ready = 'true';
}

boot().catch((err) => status(`无法打开流程建模器：${(err as Error).message}`, 'error'));
