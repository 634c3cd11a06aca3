// 精准推送: while the officer writes the facts, the most relevant articles of the law library, each of which can
// be put into the legal-basis rows with one click.
(() => {
  const panel = document.getElementById('law-suggest');
  const form = panel?.closest('form');
  if (!panel || !form) return;
  const list = panel.querySelector('[data-suggest-list]');
  const status = panel.querySelector('[data-suggest-status]');
  const value = (name) => form.elements.namedItem(name)?.value ?? '';

  function useArticle(item) {
    const rows = [...form.querySelectorAll('[data-rows="legalBasis"] .row')];
    let row = rows.find((r) => !r.querySelector('[name="basisLaw"]').value.trim());
    if (!row) {
      form.querySelector('[data-add-row="legalBasis"]')?.click();
      row = form.querySelector('[data-rows="legalBasis"]').lastElementChild;
    }
    row.querySelector('[name="basisLaw"]').value = `《${item.lawTitle}》`;
    row.querySelector('[name="basisArticle"]').value = item.article;
    row.querySelector('[name="basisArticle"]').focus();
    form.dispatchEvent(new Event('input', { bubbles: true }));
    status.textContent = `已填入：《${item.lawTitle}》${item.article}`;
  }

  function show(items) {
    list.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement('li');
        const head = document.createElement('b');
        head.textContent = `《${item.lawTitle}》${item.article}`;
        li.append(head);
        for (const boost of item.boosts) {
          const tag = document.createElement('span');
          tag.className = 'tag ok';
          tag.textContent = boost;
          li.append(' ', tag);
        }
        const use = document.createElement('button');
        use.type = 'button';
        use.className = 'link';
        use.textContent = '填入法律依据';
        use.addEventListener('click', () => useArticle(item));
        const excerpt = document.createElement('p');
        excerpt.className = 'sub pre';
        excerpt.textContent = item.excerpt;
        li.append(' ', use, excerpt);
        return li;
      }),
    );
  }

  let seq = 0;
  async function suggest() {
    const facts = value('factsFound').trim();
    if (facts.length < 8) {
      panel.hidden = true;
      return;
    }
    const category = value('category');
    const body = { facts, title: value('title').trim() || undefined, category: category || undefined, limit: 6 };
    const mine = ++seq;
    try {
      const res = await fetch(panel.dataset.suggestUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      const json = await res.json();
      if (mine !== seq) return;
      panel.hidden = false;
      if (!res.ok) {
        status.textContent = json.error?.message ?? '暂时无法推荐条文。';
        return;
      }
      status.textContent = json.items.length ? '' : '法律法规库中没有与认定事实相关的条文。';
      show(json.items);
    } catch {
      if (mine === seq) status.textContent = '网络错误，暂时无法推荐条文。';
    }
  }

  let timer;
  form.addEventListener('input', (event) => {
    const name = event.target instanceof Element ? event.target.getAttribute('name') : null;
    if (name !== 'factsFound' && name !== 'title' && name !== 'category') return;
    clearTimeout(timer);
    timer = setTimeout(suggest, 600);
  });
  form.addEventListener('change', (event) => {
    if (event.target instanceof Element && event.target.getAttribute('name') === 'category') suggest();
  });
  suggest();
})();
