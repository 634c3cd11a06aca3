// The packet form: rows of evidence and legal basis, the catalogue's judgement as the facts change, the draft
// saved as the officer types, and attachments uploaded with progress once the case exists.
(() => {
  // Rows: add from the <template>, remove with the row's button; focus moves to something sensible.
  let rowSeq = 1000;
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const add = target?.closest('[data-add-row]');
    if (add) {
      const list = document.querySelector(`[data-rows="${add.dataset.addRow}"]`);
      const tpl = document.getElementById(`tpl-${add.dataset.addRow}`);
      const html = tpl.innerHTML.replaceAll('__i__', String(rowSeq++));
      list.insertAdjacentHTML('beforeend', html);
      list.lastElementChild.querySelector('input')?.focus();
      list.dispatchEvent(new Event('input', { bubbles: true }));
      return;
    }
    const remove = target?.closest('[data-remove-row]');
    if (remove) {
      const row = remove.closest('.row');
      const list = row.parentElement;
      if (list.children.length > 1) row.remove();
      else for (const input of row.querySelectorAll('input')) input.value = '';
      list.closest('.field')?.querySelector('[data-add-row]')?.focus();
      list.dispatchEvent(new Event('input', { bubbles: true }));
    }
  });

  const form = document.getElementById('submit-form');
  if (!form) return;

  // The catalogue's judgement, refreshed as the facts change.
  const evaluation = document.getElementById('evaluation');
  const voluntary = document.getElementById('voluntary');
  const materialsList = document.getElementById('materials-list');
  const other = document.getElementById('f-materialsOther');
  const value = (name) => form.elements.namedItem(name)?.value ?? '';
  const checked = (name) => form.querySelector(`[name="${name}"]:checked`)?.value ?? '';
  const flag = (name) => form.querySelector(`[name="${name}"]`)?.checked === true;

  function showMaterials(materials) {
    const ticked = new Set([...materialsList.querySelectorAll('input:checked')].map((i) => i.value));
    const names = new Set(materials.map((m) => m.name));
    const dropped = [...ticked].filter((n) => !names.has(n));
    if (dropped.length) other.value = [other.value.trim(), ...dropped].filter(Boolean).join('\n');
    materialsList.replaceChildren(
      ...materials.map((m) => {
        const li = document.createElement('li');
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.name = 'materials';
        box.value = m.name;
        box.checked = ticked.has(m.name);
        label.append(box, ` ${m.name}`);
        if (m.required) {
          const tag = document.createElement('span');
          tag.className = 'tag';
          tag.textContent = '必须提交';
          label.append(' ', tag);
        }
        li.append(label);
        return li;
      }),
    );
  }

  function say(text, kind) {
    const p = document.createElement('p');
    p.className = kind;
    const b = document.createElement('b');
    b.textContent = text;
    p.append(b);
    evaluation.replaceChildren(p);
  }

  let evaluating = 0;
  async function evaluate() {
    const category = value('category');
    const partyType = checked('partyType');
    if (!category || !partyType) return;
    const amount = Number((value('amount') || '0').replace(/[,，\s]/g, ''));
    if (!Number.isFinite(amount) || amount < 0) return say('请填写正确的涉案金额（单位：元）。', 'bad-text');
    const facts = {
      category,
      partyType,
      amount,
      measure: value('measure'),
      hearingHeld: checked('hearingHeld') === 'true',
      thirdPartyAffected: flag('thirdPartyAffected'),
      complex: flag('complex'),
      publicInterest: flag('publicInterest'),
      socialImpact: flag('socialImpact'),
    };
    const seq = ++evaluating;
    try {
      const res = await fetch(form.dataset.evaluateUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(facts),
      });
      const body = await res.json();
      if (seq !== evaluating) return;
      if (!res.ok) return say(body.error?.message ?? '暂时无法判定，请稍后再试。', 'bad-text');
      say(body.reason, 'reason');
      evaluation.classList.toggle('mandatory', body.mandatory);
      voluntary.hidden = body.mandatory;
      showMaterials(body.matched?.materials ?? []);
    } catch {
      if (seq === evaluating) say('网络错误，暂时无法判定。', 'bad-text');
    }
  }

  // The draft, saved a moment after the officer stops typing.
  const draftStatus = form.querySelector('.draft-status');
  let draftTimer;
  const saveDraft = () =>
    window.fashenSaveDraft(form, draftStatus, {
      saved: '草稿已自动保存',
      failed: '草稿未能自动保存，请检查网络或点击“保存草稿”。',
    });

  let evalTimer;
  const onEdit = (event) => {
    if (event.target instanceof Element && event.target.matches('[data-fact]')) {
      clearTimeout(evalTimer);
      evalTimer = setTimeout(evaluate, 300);
    }
    if (event.target instanceof Element && event.target.id === 'submit-files') return;
    clearTimeout(draftTimer);
    draftTimer = setTimeout(saveDraft, 1500);
  };
  form.addEventListener('input', onEdit);
  form.addEventListener('change', onEdit);

  // With files chosen, the case is created by fetch so the files can follow with a progress bar.
  /** The input and message slot of an error key; row keys count the non-blank rows, as the server does. */
  function slotFor(key) {
    const m = /^(evidenceName|evidenceDescription|basisLaw|basisArticle)\.(\d+)$/.exec(key);
    if (!m) return { input: document.getElementById(`f-${key}`), error: document.getElementById(`err-${key}`) };
    const group = m[1].startsWith('evidence') ? 'evidence' : 'legalBasis';
    const rows = [...form.querySelectorAll(`[data-rows="${group}"] .row`)].filter((r) =>
      [...r.querySelectorAll('input')].some((i) => i.value.trim() !== ''),
    );
    const row = rows[Number(m[2])];
    const input = row?.querySelector(`[name="${m[1]}"]`);
    return { input, error: row?.querySelector(`.error[id^="err-${m[1]}-"]`) ?? row?.querySelector('.error') };
  }

  function showErrors(errors, message) {
    for (const el of form.querySelectorAll('.error')) el.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
    let first = null;
    for (const [key, text] of Object.entries(errors)) {
      const { input, error } = slotFor(key);
      if (error) error.textContent = text;
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        first ??= input;
      }
    }
    const summary = document.getElementById('err-form');
    const count = Object.keys(errors).length;
    summary.textContent = count ? `${message}（共 ${count} 处）` : message;
    (first ?? summary).focus();
  }

  form.addEventListener('submit', async (event) => {
    const files = document.getElementById('submit-files');
    const submitter = event.submitter;
    if (!files?.files.length || submitter?.hasAttribute('formaction')) return;
    event.preventDefault();
    clearTimeout(draftTimer);
    const buttons = [...form.querySelectorAll('button[type="submit"]')];
    const list = form.querySelector('#upload-on-submit .upload-progress');
    const summary = document.getElementById('err-form');
    let body = {};
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
        body: new URLSearchParams(new FormData(form)),
      });
      body = await res.json().catch(() => ({}));
      if (!res.ok) throw Object.assign(new Error(body.message ?? `提交失败（${res.status}）`), { errors: body.errors });
    } catch (err) {
      for (const b of buttons) b.disabled = false;
      showErrors(err.errors ?? {}, err.message === 'Failed to fetch' ? '网络错误，未能提交' : err.message);
      return;
    }
    summary.textContent = '';
    try {
      await window.fashenUpload(`/api/cases/${body.caseId}/attachments`, [...files.files], list);
    } catch (err) {
      // The case exists now; resubmitting would be refused, so send the officer to its page to upload again.
      summary.textContent = `案件已送审，但附件未能全部上传（${err.message}）。`;
      const link = document.createElement('a');
      link.href = body.location;
      link.textContent = '到案件页面重新上传';
      summary.append(link);
      summary.focus();
      return;
    }
    window.location.assign(body.location);
  });
})();
