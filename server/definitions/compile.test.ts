import { readFileSync } from 'node:fs';
import { Engine } from 'bpmn-engine';
import { evaluate } from 'feelin';
import { describe, expect, it } from 'vitest';
import { type CompiledDefinition, compileDefinition } from './compile.js';
import { around, userTask } from './testing/bpmn-doc.js';

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/bpmn/${name}`, import.meta.url), 'utf8');

function row(xml: string, processKey: string) {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    department_id: 'dept',
    process_key: processKey,
    version: 1,
    name: '测试',
    xml,
  };
}

/** Conditions evaluated as FEEL against one run's own variables (the runtime does the same, with more care). */
function feelScripts(variables: Record<string, unknown>) {
  return {
    register: () => undefined,
    getScript(_language: string, flow: { id: string; behaviour?: { conditionExpression?: { body?: string } } }) {
      const body = flow.behaviour?.conditionExpression?.body ?? 'false';
      return {
        execute: (_scope: unknown, callback: CallableFunction) =>
          callback(null, evaluate(body, variables).value === true),
      };
    },
  };
}

async function startRun(compiled: CompiledDefinition) {
  const variables: Record<string, unknown> = {};
  const ended: string[] = [];
  const engine = new Engine({
    name: compiled.processKey,
    sourceContext: compiled.sourceContext,
    scripts: feelScripts(variables),
  });
  const listener = {
    emit(event: string, api: { type: string; id: string }) {
      if (event === 'activity.end' && api.type === 'bpmn:EndEvent') ended.push(api.id);
    },
  };
  const execution = await engine.execute({ listener });
  const waiting = () => execution.getPostponed();
  return { engine, variables, ended, waiting };
}

describe('compileDefinition', () => {
  it('describes each user task for the runtime: role, assignee, form, deadlines', async () => {
    const compiled = await compileDefinition(row(fixture('simple-approval.bpmn'), 'simple_approval'));
    expect(compiled).toMatchObject({ processKey: 'simple_approval', version: 1, departmentId: 'dept' });
    expect(compiled.userTasks.get('Task_review')).toEqual({
      elementId: 'Task_review',
      name: '审核',
      step: 'review',
      role: 'reviewer',
      assignee: null,
      assigneeVariable: null,
      deadlineVariable: null,
      form: [
        { name: 'approved', label: '是否同意', type: 'boolean', required: true },
        { name: 'comment', label: '审核意见', type: 'text', required: false, maxLength: 2000 },
      ],
      deadlineWorkingDays: 5,
      deadlineUnit: 'working_days',
      reminderWorkingDays: 3,
      escalateTo: null,
      documentTemplate: null,
      boundaryTimerIds: [],
      multiInstance: null,
    });
  });

  it('links boundary timers to their task and keeps the initiator assignment', async () => {
    const compiled = await compileDefinition(row(fixture('timer-escalation.bpmn'), 'timer_escalation'));
    expect(compiled.userTasks.get('Task_handle')).toMatchObject({
      assignee: 'initiator',
      boundaryTimerIds: ['Timer_overdue'],
    });
    expect(compiled.userTasks.get('Task_supervise')).toMatchObject({ role: 'chief', boundaryTimerIds: [] });
  });

  it('reads the document template (文书模板) a user task produces', async () => {
    const compiled = await compileDefinition(
      row(
        around('Task_t', userTask('Task_t', 'fashen:role="reviewer" fashen:documentTemplate="review_opinion"')),
        'Process_test',
      ),
    );
    expect(compiled.userTasks.get('Task_t')?.documentTemplate).toBe('review_opinion');
  });

  it('reads a version deployed before fashen:step by the shipped ids, and a marked version only by its marks', async () => {
    const legacy = await compileDefinition(row(around('Task_review', userTask('Task_review')), 'Process_test'));
    expect(legacy.userTasks.get('Task_review')?.step).toBe('review');
    const renamed = await compileDefinition(row(around('Pruefung', userTask('Pruefung')), 'Process_test'));
    expect(renamed.userTasks.get('Pruefung')?.step).toBeNull();
    const marked = await compileDefinition(
      row(
        around('Task_review', userTask('Task_review', 'fashen:role="reviewer" fashen:step="rereview"')),
        'Process_test',
      ),
    );
    expect(marked.userTasks.get('Task_review')?.step).toBe('rereview');
  });

  it('maps service tasks to their service names', async () => {
    const compiled = await compileDefinition(
      row(around('Svc', '<bpmn:serviceTask id="Svc" fashen:service="notify" />'), 'Process_test'),
    );
    expect([...compiled.serviceTasks]).toEqual([['Svc', 'notify']]);
  });

  it('gives a sourceContext that two engines run from independently', async () => {
    const compiled = await compileDefinition(row(fixture('simple-approval.bpmn'), 'simple_approval'));
    const first = await startRun(compiled);
    const second = await startRun(compiled);
    expect(first.waiting().map((a: { id: string }) => a.id)).toEqual(['Task_review']);
    expect(second.waiting().map((a: { id: string }) => a.id)).toEqual(['Task_review']);

    second.variables.approved = false;
    second.waiting()[0].signal({});
    expect(second.ended).toEqual(['End_rejected']);
    expect(first.waiting().map((a: { id: string }) => a.id)).toEqual(['Task_review']);

    first.variables.approved = true;
    first.waiting()[0].signal({});
    expect(first.ended).toEqual(['End_approved']);

    const third = await startRun(compiled);
    expect(third.waiting().map((a: { id: string }) => a.id)).toEqual(['Task_review']);
  });
});
