import { it } from 'vitest';
import { validateBpmn } from './validate.js';
import { processDoc, flow } from './testing/bpmn-doc.js';
async function time(name: string, xml: string) {
  const t0 = performance.now();
  try { await validateBpmn(xml, { maxBytes: 2 * 1024 * 1024, services: [] }); console.log(name, 'OK'); } catch (e: any) { console.log(name, e.code, String(e.message).slice(0, 80), (e.details?.problems?.length)); }
  console.log(name, Buffer.byteLength(xml), Math.round(performance.now() - t0), 'ms');
}
it('perf', async () => {
  const n = 20000;
  await time('nested-sub', processDoc('<bpmn:startEvent id="S"/>' + Array.from({ length: n }, (_, i) => `<bpmn:subProcess id="P${i}">`).join('') + Array(n).fill('</bpmn:subProcess>').join('')));
  await time('nested-ext', processDoc('<bpmn:task id="T"><bpmn:extensionElements>' + '<foo:a>'.repeat(100000) + '</foo:a>'.repeat(100000) + '</bpmn:extensionElements></bpmn:task>'));
  const chain = Array.from({ length: 8000 }, (_, i) => `<bpmn:task id="T${i}"/>${flow(`F${i}`, `T${i}`, `T${i + 1}`)}`).join('');
  await time('long-chain-cycle', processDoc(`<bpmn:startEvent id="S"/>${flow('F0', 'S', 'T0')}${chain}<bpmn:task id="T8000"/>${flow('Fb', 'T8000', 'T0')}`));
  await time('many-flows', processDoc(`<bpmn:startEvent id="S"/><bpmn:exclusiveGateway id="G"/>${flow('F0','S','G')}` + Array.from({ length: 15000 }, (_, i) => flow(`X${i}`, 'G', 'G', 'a = 1')).join('')));
  await time('attrs', processDoc(`<bpmn:task id="T" ${Array.from({ length: 50000 }, (_, i) => `foo:a${i}="\${x}"`).join(' ')}/>`));
});
