// The step forms: the draft saved on the server as the user works, and small aids that explain a rule before
// the server enforces it (the server's answer is always the one that counts).
(() => {
  const form = document.getElementById('task-form');
  // After a refused submission, take the user to the first field that needs attention.
  const firstInvalid = document.querySelector('[aria-invalid="true"]');
  if (firstInvalid) firstInvalid.focus();
  else document.getElementById('err-form')?.focus();
  if (!form) return;

  const status = form.querySelector('.draft-status');
  const picked = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? '';

  // Draft: saved a second after the last change; a failure is said, never silent.
  let timer;
  const saveDraft = () =>
    window.fashenSaveDraft(form, status, {
      saved: '草稿已保存',
      failed: '草稿未能保存，请检查网络；提交前请勿关闭页面。',
    });
  const scheduleDraft = () => {
    if (!form.dataset.draftUrl) return;
    clearTimeout(timer);
    timer = setTimeout(saveDraft, 1000);
  };
  form.addEventListener('submit', () => clearTimeout(timer));

  // Review: rows found not to conform stand out; "同意" with such a row is explained before submitting.
  function reviewAids() {
    let nonconform = 0;
    for (const row of form.querySelectorAll('tr.point')) {
      const bad = row.querySelector('input[type="radio"]:checked')?.value === '不符合';
      row.classList.toggle('nonconform', bad);
      if (bad) nonconform++;
    }
    const slot = document.getElementById('err-conclusion');
    if (!slot) return;
    if (picked('conclusion') === '同意' && nonconform > 0) {
      slot.textContent = `有 ${nonconform} 项审核结果为“不符合”，审核结论不能为“同意”`; // the server's words (review-rules.ts)
      slot.dataset.aid = '1';
    } else if (slot.dataset.aid) {
      slot.textContent = '';
      delete slot.dataset.aid;
    }
  }

  form.querySelector('[data-all-conform]')?.addEventListener('click', () => {
    for (const row of form.querySelectorAll('tr.point')) {
      if (row.querySelector('input[type="radio"]:checked')) continue;
      const conform = row.querySelector('input[type="radio"][value="符合"]');
      if (conform) conform.checked = true;
    }
    reviewAids();
    scheduleDraft();
  });

  // Chief: say before submitting that departing from an opinion needs written reasons.
  function chiefAids() {
    const warning = document.getElementById('override-warning');
    const choice = form.querySelector('input[name="decision"]:checked');
    if (!warning) return;
    const overrides = choice?.dataset.overrides ?? '';
    warning.hidden = !overrides;
    warning.textContent = overrides
      ? `此决定不同于${overrides}，必须在“理由”中书面说明（不少于10个字），由您对该决定承担责任。`
      : '';
    form.querySelector('[name="decisionReasons"]')?.toggleAttribute('required', Boolean(overrides));
  }

  // Contest: reasons are required once the officer contests.
  function contestAids() {
    form.querySelector('[name="contestReasons"]')?.toggleAttribute('required', picked('contest') === 'true');
  }

  // Acceptance: "材料不全" starts the list of missing materials from the unticked ones.
  function acceptAids(event) {
    const missing = form.querySelector('[name="missing"]');
    if (!missing || event?.target?.name !== 'complete' || picked('complete') !== 'false') return;
    if (missing.value.trim()) return;
    const unticked = [...form.querySelectorAll('input[name="material"]:not(:checked)')].map((i) => i.value);
    missing.value = unticked.join('\n');
  }

  const onChange = (event) => {
    reviewAids();
    chiefAids();
    contestAids();
    acceptAids(event);
    scheduleDraft();
  };
  form.addEventListener('change', onChange);
  form.addEventListener('input', scheduleDraft);
  reviewAids();
  chiefAids();
  contestAids();
})();
