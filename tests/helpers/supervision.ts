import type { TestApp } from './app.js';
import { deploy, workflowFile } from './flows.js';
import { FACTS, packet } from './review.js';

/**
 * What a supervision test starts from: an agency (`<prefix>市场监督管理局`) with its officer and legal admin and a
 * case submitted under the shipped review flow, and the justice bureau (`<prefix>司法局`) with a supervisor.
 */
export async function supervisedCase(t: TestApp, prefix: string) {
  const agency = await t.newDepartment({ name: `${prefix}市场监督管理局` });
  const bureau = await t.newDepartment({ name: `${prefix}司法局` });
  const officer = await t.newUser({ departmentId: agency.id, roles: ['officer'] });
  const legal = await t.newUser({ departmentId: agency.id, roles: ['legal_admin'] });
  const supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return { agency, bureau, officer, legal, supervisor, caseId: res.json().caseId as string };
}
