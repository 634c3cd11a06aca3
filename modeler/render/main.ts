import Viewer from 'bpmn-js/lib/Viewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import fashenModdle from '../../workflows/fashen-moddle.json';

/**
 * Draws a BPMN document as SVG with the viewer the modeler uses. The service opens this page in headless
 * Chromium to render the flowcharts of deployed processes for the publicity portal.
 */
async function fashenRender(xml: string): Promise<string> {
  const container = document.getElementById('canvas')!;
  container.replaceChildren();
  const viewer = new Viewer({ container, moddleExtensions: { fashen: fashenModdle } });
  try {
    await viewer.importXML(xml);
    const { svg } = await viewer.saveSVG();
    return svg;
  } finally {
    viewer.destroy();
  }
}

(window as unknown as { fashenRender: typeof fashenRender }).fashenRender = fashenRender;
