// The review step's hint buttons (争议焦点提示): marking a hint calls the API and updates its status in place;
// quoting appends the hint's detail to its point's note (and so to the draft). Without script, the same buttons
// post the step form to /tasks/:id/hints, which does both on the server.
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  const statusLabels = { handled: '已处理', not_applicable: '不适用' };

  function showStatus(key, text) {
    for (const el of document.querySelectorAll('[data-hint-status]')) {
      if (el.dataset.hintStatus === key) el.textContent = text;
    }
  }

  async function mark(item, key, status) {
    const note = item.querySelector('[data-hint-note]')?.value ?? '';
    try {
      const res = await fetch(`/api/cases/${item.dataset.caseId}/hints/${encodeURIComponent(key)}`, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ status, note }),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error?.message ?? String(res.status));
      const who = body.mark.note ? `（${body.mark.markedBy}：${body.mark.note}）` : `（${body.mark.markedBy}）`;
      showStatus(key, statusLabels[status]);
      for (const el of document.querySelectorAll('.hint-entry [data-hint-status]')) {
        if (el.dataset.hintStatus === key) el.textContent = `${statusLabels[status]}${who}`;
      }
      item.classList.add('marked');
    } catch (err) {
      showStatus(key, `标记失败：${err.message}`);
    }
  }

  function quote(button, item) {
    const note = button.form?.elements.namedItem(button.dataset.noteName);
    if (!note) return;
    const detail = button.dataset.detail ?? '';
    note.value = note.value.trim() ? `${note.value.trimEnd()}\n${detail}` : detail;
    note.dispatchEvent(new Event('input', { bubbles: true }));
    note.focus();
    item.querySelector('.hint-quoted')?.remove();
    const said = document.createElement('span');
    said.className = 'hint-quoted sub';
    said.setAttribute('role', 'status');
    said.textContent = ' 已引用到本项说明';
    button.after(said);
  }

  document.addEventListener('click', (event) => {
    const button = event.target.closest?.('button[data-hint-action]');
    if (!button) return;
    const item = button.closest('[data-hint-key]');
    if (!item) return;
    event.preventDefault();
    const action = button.dataset.hintAction;
    if (action === 'quote') quote(button, item);
    else mark(item, item.dataset.hintKey, action);
  });
})();
