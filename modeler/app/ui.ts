/** Small DOM helpers for the modeler's shell: toolbar buttons, the side panel, dialogs, the status line. */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

export function button(label: string, action: () => unknown, attrs: Record<string, string> = {}) {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', () => void action());
  return b;
}

export function status(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
  const node = document.getElementById('fm-status')!;
  node.textContent = text;
  node.dataset.kind = kind;
}

/** Shows a titled section in the side panel (below the properties), replacing what was there. */
export function showPanel(title: string, ...content: (Node | string)[]): void {
  const panel = document.getElementById('fm-panel')!;
  const close = button('×', () => hidePanel(), { class: 'fm-panel-close', 'aria-label': '关闭' });
  panel.replaceChildren(el('h2', {}, title, close), ...content);
  panel.hidden = false;
}

export function hidePanel(): void {
  document.getElementById('fm-panel')!.hidden = true;
}

/** Asks for a text (the change note of a deploy); null when cancelled. */
export function prompt(title: string, label: string, confirmLabel: string): Promise<string | null> {
  const dialog = document.getElementById('fm-dialog') as HTMLDialogElement;
  const text = el('textarea', { id: 'fm-dialog-text', rows: '4', maxlength: '500', required: '' });
  const form = el(
    'form',
    { method: 'dialog' },
    el('h2', {}, title),
    el('label', { for: 'fm-dialog-text' }, label),
    text,
    el(
      'div',
      { class: 'fm-dialog-buttons' },
      el('button', { value: 'cancel', type: 'submit', formnovalidate: '' }, '取消'),
      el('button', { value: 'ok', type: 'submit', id: 'fm-dialog-ok' }, confirmLabel),
    ),
  );
  dialog.replaceChildren(form);
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => resolve(dialog.returnValue === 'ok' && text.value.trim() ? text.value.trim() : null),
      { once: true },
    );
    dialog.returnValue = '';
    dialog.showModal();
    text.focus();
  });
}

export function list(items: string[], empty: string): HTMLElement {
  if (items.length === 0) return el('p', { class: 'fm-empty' }, empty);
  return el('ul', { class: 'fm-list' }, ...items.map((i) => el('li', {}, i)));
}

export const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
