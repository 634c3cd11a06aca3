import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { directDecision } from './helpers/review.js';

let t: TestApp;
let officer: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const dept = await t.newDepartment({ name: '公示记录测试局' });
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

describe("a disclosure's publication and withdrawal are part of the case's record", () => {
  it('appends them to the hash chain, which still verifies, and shows the reason on the case', async () => {
    const caseId = await directDecision(t, officer, { number: '记强〔2026〕1号', date: '2026-11-25' });
    const list = (await t.app.inject({ url: '/api/disclosures?limit=50', headers: t.as(legal) })).json();
    const id = list.items.find((d: { caseId: string }) => d.caseId === caseId).id;
    const full = (await t.app.inject({ url: `/api/disclosures/${id}`, headers: t.as(legal) })).json();
    const { partyCode: _code, ...redacted } = full.redacted;
    const approved = await t.app.inject({
      method: 'POST',
      url: `/api/disclosures/${id}/approve`,
      headers: t.as(legal),
      payload: { redacted },
    });
    expect(approved.statusCode).toBe(200);
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/api/disclosures/${id}/withdraw`,
      headers: t.as(legal),
      payload: { ground: 'unlawful', reason: '经行政诉讼确认违法' },
    });
    expect(withdrawn.statusCode).toBe(200);

    const record = (await t.app.inject({ url: `/api/cases/${caseId}/record`, headers: t.as(officer) })).json();
    const tail = record.items.slice(-2);
    expect(tail.map((r: { type: string }) => r.type)).toEqual(['disclosure.published', 'disclosure.withdrawn']);
    expect(tail[1]).toMatchObject({ actorId: legal.id, payload: { disclosureId: id } });
    expect(tail[1].payload.reason).toContain('经行政诉讼确认违法');
    const verified = await t.app.inject({ url: `/api/cases/${caseId}/record/verify`, headers: t.as(officer) });
    expect(verified.json()).toMatchObject({ ok: true });

    const page = await t.app.inject({
      url: `/cases/${caseId}`,
      headers: { cookie: `fashen_session=${officer.token}` },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('撤下已公开的决定信息');
    expect(page.body).toContain('经行政诉讼确认违法');
  });
});
