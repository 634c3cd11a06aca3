/** A department's first flow: submission, acceptance, done — with its diagram, so that the modeler opens it. */
export function simpleReview(processKey = 'simple_review'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:fashen="http://fashen.gov.cn/schema/bpmn/1.0" id="Defs_${processKey}" targetNamespace="http://fashen.gov.cn/test">
  <bpmn:process id="${processKey}" name="简易审核" isExecutable="true">
    <bpmn:startEvent id="Start" name="送审" />
    <bpmn:userTask id="Task_accept" name="受理审查" fashen:role="legal_admin" />
    <bpmn:endEvent id="End_done" name="办结" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task_accept" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task_accept" targetRef="End_done" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_1">
    <bpmndi:BPMNPlane id="Plane_1" bpmnElement="${processKey}">
      <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_accept_di" bpmnElement="Task_accept"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_done_di" bpmnElement="End_done"><dc:Bounds x="402" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="F1_di" bpmnElement="F1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="F2_di" bpmnElement="F2"><di:waypoint x="340" y="120" /><di:waypoint x="402" y="120" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}
