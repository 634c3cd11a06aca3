// The process diagram of a case: the deployed BPMN drawn by the bpmn-js viewer, with the step the case is
// waiting at and the steps already passed marked. Drag or use the buttons to move and zoom.
(() => {
  const canvasEl = document.getElementById('bpmn-canvas');
  if (!canvasEl) return;
  const frame = canvasEl.closest('.bpmn-frame');
  const status = frame.querySelector('.bpmn-status');
  const say = (text) => {
    status.textContent = text;
    status.hidden = !text;
  };
  const READABLE = 0.8;

  async function draw() {
    if (typeof window.BpmnJS !== 'function') return say('流程图组件未能加载。');
    const response = await fetch(canvasEl.dataset.xmlUrl, { credentials: 'same-origin' });
    if (!response.ok) return say('流程图加载失败。');
    const viewer = new window.BpmnJS({ container: canvasEl });
    await viewer.importXML(await response.text());
    const canvas = viewer.get('canvas');
    const registry = viewer.get('elementRegistry');
    const done = JSON.parse(canvasEl.dataset.done || '[]');
    const current = JSON.parse(canvasEl.dataset.current || '[]');
    for (const id of done) if (registry.get(id)) canvas.addMarker(id, 'done-step');
    for (const id of current) if (registry.get(id)) canvas.addMarker(id, 'current-step');

    // A wide process fitted into the page is too small to read: show it at a readable size around the
    // current step (or the start), with "全图" one click away.
    const showStep = () => {
      const el =
        current.map((id) => registry.get(id)).find(Boolean) ?? registry.filter((e) => e.type === 'bpmn:StartEvent')[0];
      canvas.zoom(READABLE);
      if (el) canvas.scrollToElement(el, { top: 120, bottom: 120, left: 160, right: 160 });
    };
    const showAll = () => canvas.zoom('fit-viewport', 'auto');
    if (showAll() < READABLE * 0.85) showStep();
    const actions = {
      'zoom-in': () => canvas.zoom(canvas.zoom() * 1.25),
      'zoom-out': () => canvas.zoom(canvas.zoom() / 1.25),
      fit: showAll,
      focus: showStep,
    };
    frame.addEventListener('click', (event) => {
      const button = event.target instanceof Element && event.target.closest('[data-diagram]');
      if (button) actions[button.dataset.diagram]?.();
    });
    for (const b of frame.querySelectorAll('[data-diagram]')) b.hidden = false;
    say('');
    canvasEl.dataset.ready = 'true';
  }
  draw().catch((err) => say(`流程图无法显示：${err.message}`));
})();
