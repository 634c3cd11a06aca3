/** A new department's first review process: submission, legal review, decision — a start to edit from. */
export function blankProcess(processKey: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:fashen="http://fashen.gov.cn/schema/bpmn/1.0" id="Definitions_${processKey}" targetNamespace="http://fashen.gov.cn/workflows">
  <bpmn:process id="${processKey}" name="重大执法决定法制审核" isExecutable="true">
    <bpmn:startEvent id="Start_submitted" name="承办机构送审" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_${processKey}">
    <bpmndi:BPMNPlane id="Plane_${processKey}" bpmnElement="${processKey}">
      <bpmndi:BPMNShape id="Start_submitted_di" bpmnElement="Start_submitted">
        <dc:Bounds x="160" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}
