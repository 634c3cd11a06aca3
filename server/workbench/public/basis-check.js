// 法律依据核对 while writing the packet: each legal-basis row is checked against the law library in the version in
// force on the conduct date (else today), and what does not resolve is said beside the row before submitting.
(() => {
  const list = document.querySelector('[data-rows="legalBasis"]');
  const form = list?.closest('form');
  if (!list || !form) return;
  const LABELS = {
    ok: '已核对',
    unknown_law: '法律法规库中没有这部法律法规',
    unknown_article: '这部法律法规没有此条',
    not_in_force: '该日期不在施行期内（尚未施行、已被修订或已废止）',
    invalid: '无法识别的条款写法',
  };
  // Today in Beijing time, the day the bases are read on when no conduct date is given.
  const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const statusOf = (row) => {
    let p = row.querySelector('.basis-status');
    if (!p) {
      p = document.createElement('p');
      p.className = 'basis-status sub';
      p.setAttribute('aria-live', 'polite');
      row.append(p);
    }
    return p;
  };
  const labelOf = (r) =>
    r.reason === 'repealed' ? `已废止（自${r.repealedOn ?? ''}起不再施行）` : (LABELS[r.status] ?? r.status);

  let seq = 0;
  async function check() {
    const entries = [...list.querySelectorAll('.row')].map((row) => {
      const law = (row.querySelector('[name="basisLaw"]')?.value ?? '').trim().replace(/^《|》$/g, '');
      const article = (row.querySelector('[name="basisArticle"]')?.value ?? '').trim();
      return { row, text: law && article ? `《${law}》${article}` : '' };
    });
    for (const e of entries) if (!e.text) statusOf(e.row).textContent = '';
    const citations = [...new Set(entries.map((e) => e.text).filter(Boolean))];
    if (!citations.length) return;
    const date = form.elements.namedItem('conductDate')?.value || today();
    const mine = ++seq;
    try {
      const res = await fetch('/api/citations/check', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ citations, date }),
      });
      if (mine !== seq || !res.ok) return;
      const { results } = await res.json();
      for (const e of entries) {
        if (!e.text) continue;
        const mineResults = results.filter((r) => r.input === e.text);
        const bad = mineResults.filter((r) => r.status !== 'ok');
        const p = statusOf(e.row);
        p.classList.toggle('bad-text', bad.length > 0);
        if (bad.length) {
          p.textContent = `法律依据核对（按${date}施行的版本）：${[...new Set(bad.map(labelOf))].join('；')}`;
        } else {
          const v = mineResults[0]?.version;
          p.textContent = `已核对：${date}施行的版本${v ? `（${v}）` : ''}中有此条`;
          p.title = mineResults.map((r) => r.text ?? '').join('\n');
        }
      }
    } catch {
      // Offline or the library unavailable: the case page checks again after submitting.
    }
  }

  let timer;
  form.addEventListener('input', (event) => {
    const name = event.target instanceof Element ? event.target.getAttribute('name') : null;
    if (name !== 'basisLaw' && name !== 'basisArticle' && name !== 'conductDate') return;
    clearTimeout(timer);
    timer = setTimeout(check, 700);
  });
  form.addEventListener('change', (event) => {
    if (event.target instanceof Element && event.target.getAttribute('name') === 'conductDate') check();
  });
  check();
})();
