// The process diagram of a case: the deployed BPMN drawn by the bpmn-js viewer, with the step the case is
// waiting at and the steps already passed marked.
(() => {
  const canvasEl = document.getElementById('bpmn-canvas');
  if (!canvasEl) return;
  const status = canvasEl.parentElement.querySelector('.bpmn-status');
  const say = (text) => {
    status.textContent = text;
    status.hidden = !text;
  };
  async function draw() {
    if (typeof window.BpmnJS !== 'function') return say('流程图组件未能加载。');
    const response = await fetch(canvasEl.dataset.xmlUrl, { credentials: 'same-origin' });
    if (!response.ok) return say('流程图加载失败。');
    const xml = await response.text();
    const viewer = new window.BpmnJS({ container: canvasEl });
    await viewer.importXML(xml);
    const canvas = viewer.get('canvas');
    const registry = viewer.get('elementRegistry');
    const mark = (ids, marker) => {
      for (const id of ids) if (registry.get(id)) canvas.addMarker(id, marker);
    };
    mark(JSON.parse(canvasEl.dataset.done || '[]'), 'done-step');
    mark(JSON.parse(canvasEl.dataset.current || '[]'), 'current-step');
    canvas.zoom('fit-viewport', 'auto');
    say('');
    canvasEl.dataset.ready = 'true';
  }
  draw().catch((err) => say(`流程图无法显示：${err.message}`));
})();
