import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definitions, flow, form, userTask, withTimer } from './testing/bpmn-doc.js';
import { opts } from './testing/refusal.js';
import { validateBpmn } from './validate.js';

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/bpmn/${name}`, import.meta.url), 'utf8');
const workflow = (name: string) => readFileSync(new URL(`../../workflows/${name}`, import.meta.url), 'utf8');

describe('validateBpmn accepts what the runtime supports', () => {
  it('accepts the simple approval fixture and returns its key and name', async () => {
    const result = await validateBpmn(fixture('simple-approval.bpmn'), opts);
    expect(result).toMatchObject({ processKey: 'simple_approval', name: '简易审批' });
    expect(result.moddleContext.rootElement.$type).toBe('bpmn:Definitions');
  });

  it('accepts the timer escalation fixture', async () => {
    await expect(validateBpmn(fixture('timer-escalation.bpmn'), opts)).resolves.toMatchObject({
      processKey: 'timer_escalation',
    });
  });

  it('accepts the demo review workflow, whose correction loop waits at user tasks', async () => {
    await expect(validateBpmn(workflow('demo-review.bpmn'), opts)).resolves.toMatchObject({
      processKey: 'demo_review',
    });
  });

  it('accepts deadlines counted in calendar days (review-deadline fixture)', async () => {
    await expect(validateBpmn(fixture('review-deadline.bpmn'), opts)).resolves.toMatchObject({
      processKey: 'review_deadline',
    });
  });

  it('accepts a timer of N working days (P5WD)', async () => {
    await expect(validateBpmn(withTimer('<bpmn:timeDuration>P5WD</bpmn:timeDuration>'), opts)).resolves.toMatchObject({
      processKey: 'Process_test',
    });
  });

  it('accepts every supported construct together', async () => {
    const xml = definitions(`
      <bpmn:collaboration id="Collab"><bpmn:participant id="Pool" name="执法机关" processRef="Process_all" /></bpmn:collaboration>
      <bpmn:process id="Process_all" isExecutable="true">
        <bpmn:laneSet id="Lanes"><bpmn:lane id="Lane_1" name="承办机构"><bpmn:flowNodeRef>Start</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
        <bpmn:startEvent id="Start" />
        ${flow('F1', 'Start', 'Split')}
        <bpmn:parallelGateway id="Split" />
        ${flow('F2', 'Split', 'Manual')}${flow('F3', 'Split', 'Svc')}
        <bpmn:manualTask id="Manual" />
        <bpmn:serviceTask id="Svc" fashen:service="notify" />
        ${flow('F4', 'Manual', 'Join')}${flow('F5', 'Svc', 'Join')}
        <bpmn:parallelGateway id="Join" />
        ${flow('F6', 'Join', 'Wait')}
        <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDate>${new Date(Date.now() + 30 * 86_400_000).toISOString()}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        ${flow('F7', 'Wait', 'Sub')}
        <bpmn:subProcess id="Sub" name="内部审核">
          <bpmn:startEvent id="Sub_start" />${flow('SF1', 'Sub_start', 'Sub_review')}
          ${userTask('Sub_review', 'fashen:role="chief" fashen:deadlineWorkingDays="5" fashen:reminderWorkingDays="2" fashen:escalateTo="legal_admin"', form('<fashen:formField name="ok" type="boolean" required="true" /><fashen:formField name="level" type="enum" options="一般，重大" /><fashen:formField name="amount" type="number" minimum="0" maximum="100000" /><fashen:formField name="on" type="date" /><fashen:formField name="n" type="integer" />'))}
          ${flow('SF2', 'Sub_review', 'Sub_gw')}
          <bpmn:exclusiveGateway id="Sub_gw" />
          ${flow('SF3', 'Sub_gw', 'Sub_review', 'ok = false')}${flow('SF4', 'Sub_gw', 'Sub_end', 'ok = true', 'feel')}
          <bpmn:endEvent id="Sub_end" />
        </bpmn:subProcess>
        <bpmn:boundaryEvent id="Sub_timer" attachedToRef="Sub" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${flow('F8', 'Sub_timer', 'Reminder')}
        <bpmn:intermediateThrowEvent id="Reminder" />
        ${flow('F9', 'Reminder', 'Reminded')}
        <bpmn:endEvent id="Reminded" />
        ${flow('F10', 'Sub', 'Incl')}
        <bpmn:inclusiveGateway id="Incl" />
        ${flow('F11', 'Incl', 'Done', 'amount > 100')}${flow('F12', 'Incl', 'Stop', 'amount &lt;= 100')}
        <bpmn:task id="Done" />${flow('F13', 'Done', 'Stop')}
        <bpmn:endEvent id="Stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
        <bpmn:textAnnotation id="Note"><bpmn:text>需在 5 个工作日内完成</bpmn:text></bpmn:textAnnotation>
        <bpmn:association id="Assoc" sourceRef="Sub" targetRef="Note" />
      </bpmn:process>`);
    await expect(validateBpmn(xml, opts)).resolves.toMatchObject({ processKey: 'Process_all', name: 'Process_all' });
  });
});
