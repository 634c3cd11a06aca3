// Uploads the files chosen for a supervision answer to the API, then reloads so they are listed with the form.
(() => {
  const box = document.getElementById('supervision-files');
  const input = document.getElementById('supervision-file-input');
  if (!box || !input) return;
  input.addEventListener('change', async () => {
    const body = new FormData();
    for (const file of input.files) body.append('file', file, file.name);
    const res = await fetch(box.dataset.uploadUrl, { method: 'POST', body, headers: { accept: 'application/json' } });
    if (res.ok) return window.location.reload();
    const err = await res.json().catch(() => null);
    window.alert(err?.error?.message || `上传失败（${res.status}）`);
  });
})();
