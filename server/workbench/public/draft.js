// Saves a form's draft on the server (the form's data-draft-url) and says what happened; shared by the
// step forms and the submit form. A failure is always said, never silent.
window.fashenSaveDraft = async (form, status, texts) => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  try {
    const res = await fetch(form.dataset.draftUrl, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'x-csrf-token': csrf },
      body: new URLSearchParams(new FormData(form)),
    });
    if (res.redirected && new URL(res.url).pathname === '/login') {
      status.textContent = '登录已过期，草稿未能保存。请在新窗口重新登录后再继续。';
      return;
    }
    if (!res.ok) throw new Error(String(res.status));
    const { savedAt } = await res.json();
    status.textContent = `${texts.saved}（${new Date(savedAt).toLocaleTimeString('zh-CN', { hour12: false })}）`;
  } catch {
    status.textContent = texts.failed;
  }
};
