// Uploads attachments one file at a time with a progress bar each. XMLHttpRequest reports upload progress,
// which fetch does not; large audio and video files can take minutes.
(() => {
  function uploadOne(url, file, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      xhr.responseType = 'json';
      xhr.setRequestHeader('accept', 'application/json');
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
      });
      xhr.addEventListener('load', () => {
        if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response);
        else if (xhr.status === 401) reject(new Error('登录已过期，请重新登录后再上传'));
        else reject(new Error(xhr.response?.error?.message || `上传失败（${xhr.status}）`));
      });
      xhr.addEventListener('error', () => reject(new Error('网络错误，上传未完成')));
      const body = new FormData();
      body.append('file', file, file.name);
      xhr.send(body);
    });
  }

  function sizeText(n) {
    if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`;
    if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
    return `${Math.max(1, Math.round(n / 1024))} KB`;
  }

  /** Uploads the files in turn, showing each one's progress in `list`; rejects at the first failure. */
  async function uploadAll(url, files, list) {
    for (const file of files) {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = `${file.name}（${sizeText(file.size)}）`;
      const bar = document.createElement('progress');
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute('aria-label', `${file.name} 上传进度`);
      const state = document.createElement('span');
      state.className = 'state';
      state.textContent = '0%';
      item.append(name, bar, state);
      list.append(item);
      try {
        await uploadOne(url, file, (pct) => {
          bar.value = pct;
          state.textContent = `${pct}%`;
        });
        bar.value = 100;
        state.textContent = '已上传';
        item.classList.add('done');
      } catch (err) {
        state.textContent = err.message;
        item.classList.add('failed');
        throw err;
      }
    }
  }
  window.fashenUpload = uploadAll;

  document.addEventListener('click', async (event) => {
    const button = event.target instanceof Element && event.target.closest('[data-upload-start]');
    if (!button) return;
    const box = button.closest('.upload');
    const input = box.querySelector('input[type="file"]');
    const list = box.querySelector('.upload-progress');
    if (!input.files.length) {
      const li = document.createElement('li');
      li.className = 'failed';
      li.textContent = '请先选择要上传的文件。';
      list.replaceChildren(li);
      input.focus();
      return;
    }
    button.disabled = true;
    list.replaceChildren();
    try {
      await uploadAll(box.dataset.uploadUrl, [...input.files], list);
      input.value = '';
      if (box.dataset.uploadThen) window.location.assign(box.dataset.uploadThen);
    } catch {
      // The failed file says why in the list; the user may choose again.
    } finally {
      button.disabled = false;
    }
  });
})();
