/** Builders of small BPMN documents for tests. */

const NAMESPACES = [
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
  'xmlns:fashen="http://fashen.gov.cn/schema/bpmn/1.0"',
  'xmlns:foo="urn:example:foo"',
].join(' ');

/** A definitions document around `content` (root elements). */
export function definitions(content: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions ${NAMESPACES} id="Defs" targetNamespace="http://fashen.gov.cn/test">${content}</bpmn:definitions>`;
}

/** A document with one executable process whose flow elements are `body`. */
export function processDoc(body: string, attrs = ''): string {
  return definitions(
    `<bpmn:process id="Process_test" name="测试流程" isExecutable="true" ${attrs}>${body}</bpmn:process>`,
  );
}

export function flow(id: string, from: string, to: string, condition?: string, language?: string): string {
  if (condition === undefined) return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
  const lang = language ? ` language="${language}"` : '';
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"${lang}>${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`;
}

/** start → `element` (with id `id`) → end: the smallest valid context for one element. */
export function around(id: string, element: string): string {
  return processDoc(
    `<bpmn:startEvent id="Start" name="开始" />${flow('F_in', 'Start', id)}${element}${flow('F_out', id, 'End')}<bpmn:endEvent id="End" name="结束" />`,
  );
}

export function userTask(id: string, attrs = 'fashen:role="reviewer"', inner = ''): string {
  return `<bpmn:userTask id="${id}" name="审核" ${attrs}>${inner}</bpmn:userTask>`;
}

export function form(fields: string): string {
  return `<bpmn:extensionElements><fashen:form>${fields}</fashen:form></bpmn:extensionElements>`;
}

export function timerBoundary(id: string, host: string, timer: string): string {
  return `<bpmn:boundaryEvent id="${id}" attachedToRef="${host}"><bpmn:timerEventDefinition>${timer}</bpmn:timerEventDefinition></bpmn:boundaryEvent>`;
}

/** A process whose user task has a boundary timer `timer` (e.g. `<bpmn:timeDuration>PT1H</bpmn:timeDuration>`). */
export function withTimer(timer: string): string {
  return processDoc(
    [
      '<bpmn:startEvent id="Start" />',
      flow('F1', 'Start', 'Task_wait'),
      userTask('Task_wait'),
      flow('F2', 'Task_wait', 'End'),
      timerBoundary('Timer_1', 'Task_wait', timer),
      flow('F3', 'Timer_1', 'End_late'),
      '<bpmn:endEvent id="End" />',
      '<bpmn:endEvent id="End_late" />',
    ].join(''),
  );
}

/** `<fashen:catalogueItem>` with the attributes of a valid item (CF-01) unless overridden; null drops one. */
export function catalogueItem(
  overrides: Record<string, string | null> = {},
  materials = '<fashen:material name="行政处罚决定书（代拟稿）" required="true" />',
): string {
  const attrs: Record<string, string | null> = {
    code: 'CF-01',
    category: 'penalty',
    name: '对法人或者其他组织处以五万元以上罚款',
    reviewWorkingDays: '5',
    condition: 'category = &quot;penalty&quot; and partyType = &quot;organization&quot; and amount &gt;= 50000',
    ...overrides,
  };
  const text = Object.entries(attrs)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  return `<fashen:catalogueItem ${text}>${materials}</fashen:catalogueItem>`;
}

/** A runnable process (start → end) whose extension elements hold `<fashen:catalogue>` around `items`. */
export function withCatalogue(items: string, processAttrs = ''): string {
  const review = userTask('Task_review', 'fashen:step="review" fashen:role="reviewer" fashen:deadlineWorkingDays="5"');
  return processDoc(
    `<bpmn:extensionElements><fashen:catalogue>${items}</fashen:catalogue></bpmn:extensionElements><bpmn:startEvent id="Start" />${flow('F', 'Start', 'Task_review')}${review}${flow('F_reviewed', 'Task_review', 'End')}<bpmn:endEvent id="End" />`,
    processAttrs,
  );
}
