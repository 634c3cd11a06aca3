// Keeps the supervisor's case list current: every N seconds the same URL (so the same filters) is fetched
// and the #live region replaced. Skipped while the tab is hidden or the user is inside the region, so focus
// and reading position are never pulled away. Without script the page still works (立即刷新 reloads it).
(() => {
  const live = document.getElementById('live');
  const toggle = document.getElementById('live-toggle');
  const reload = document.getElementById('live-reload');
  if (!live) return;
  const seconds = Number(live.dataset.refreshSeconds) || 30;
  const KEY = 'fashen.supervisor.autoRefresh';
  if (toggle) {
    toggle.checked = localStorage.getItem(KEY) !== 'off';
    toggle.addEventListener('change', () => localStorage.setItem(KEY, toggle.checked ? 'on' : 'off'));
  }
  let busy = false;

  async function refresh(force) {
    if (busy) return;
    if (!force && (document.hidden || (toggle && !toggle.checked) || live.contains(document.activeElement))) return;
    busy = true;
    try {
      const res = await fetch(window.location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
      // An expired session ends on the login page: reload so the user sees why.
      if (res.redirected && new URL(res.url).pathname === '/login') {
        window.location.assign(res.url);
        return;
      }
      if (!res.ok) return;
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const next = doc.getElementById('live');
      if (next) live.replaceChildren(...next.childNodes);
    } catch {
      // Offline for a moment: try again at the next tick.
    } finally {
      busy = false;
    }
  }

  setInterval(() => refresh(false), seconds * 1000);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) refresh(false);
  });
  if (reload) {
    reload.addEventListener('click', (event) => {
      event.preventDefault();
      refresh(true);
    });
  }
})();
