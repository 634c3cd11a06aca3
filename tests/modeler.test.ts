import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { hasChromium } from './helpers/browser.js';
import { approveRequest } from './helpers/flows.js';

/** A department's first flow (submission, acceptance, done, with its diagram), under another key if asked. */
const SIMPLE_REVIEW = readFileSync(new URL('./fixtures/lint/import/simple-review.bpmn', import.meta.url), 'utf8');
const simpleReview = (processKey = 'simple_review') => SIMPLE_REVIEW.replaceAll('simple_review', processKey);

let t: TestApp;
let departmentId: string;
let legal: TestUser;
let otherLegal: TestUser;
let officer: TestUser;

const importFixture = (name: string) => readFile(new URL(`./fixtures/lint/import/${name}`, import.meta.url), 'utf8');

async function call(user: TestUser | null, method: string, url: string, payload?: unknown) {
  const res = await t.app.inject({
    method: method as 'GET',
    url,
    headers: user ? t.as(user) : {},
    payload: payload as object,
  });
  return {
    status: res.statusCode,
    body: String(res.headers['content-type']).includes('json') ? res.json() : res.body,
    res,
  };
}

/** Proposes from the modeler's API and, when proposed, approves as a second legal admin (as the modeler is used). */
async function deployed(user: TestUser | null, body: { xml: string; note: string }) {
  const proposed = await call(user, 'POST', '/api/deployment-requests', body);
  if (proposed.status !== 201) return proposed;
  const approved = await approveRequest(t, proposed.body.departmentId, proposed.body.id);
  return { status: 201, body: { ...approved, created: true }, res: proposed.res };
}

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment({ name: '市生态环境局' });
  departmentId = d.id;
  const other = await t.newDepartment();
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  otherLegal = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
  expect((await deployed(legal, { xml: simpleReview(), note: '初始版本' })).status).toBe(201);
});
afterAll(() => t.close());

describe('drafts are kept per department', () => {
  it('saves a draft, reads it back and lists it in the workspace', async () => {
    const saved = await call(legal, 'PUT', '/api/modeler/drafts/simple_review', {
      xml: simpleReview().replace('受理审查', '受理审查（修改中）'),
      baseVersion: 1,
      expectedRevision: null,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.revision).toBe(1);
    const draft = await call(legal, 'GET', '/api/modeler/drafts/simple_review');
    expect(draft.body).toMatchObject({ processKey: 'simple_review', baseVersion: 1, revision: 1 });
    expect(draft.body.xml).toContain('受理审查（修改中）');
    const workspace = await call(legal, 'GET', '/api/modeler/workspace');
    expect(workspace.body.canEdit).toBe(true);
    expect(workspace.body.workflows).toEqual([
      expect.objectContaining({
        processKey: 'simple_review',
        latest: expect.objectContaining({ version: 1 }),
        draft: expect.objectContaining({ revision: 1 }),
      }),
    ]);
  });

  it('refuses a save made over a newer save instead of losing it', async () => {
    const body = { xml: simpleReview(), baseVersion: 1, expectedRevision: 1 };
    expect((await call(legal, 'PUT', '/api/modeler/drafts/simple_review', body)).status).toBe(200);
    const stale = await call(legal, 'PUT', '/api/modeler/drafts/simple_review', body);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'CONFLICT', details: { currentRevision: 2 } });
  });

  it('does not show a department its neighbour’s drafts', async () => {
    expect((await call(otherLegal, 'GET', '/api/modeler/drafts/simple_review')).status).toBe(404);
    expect((await call(otherLegal, 'GET', '/api/modeler/workspace')).body.workflows).toEqual([]);
  });

  it('refuses a DTD in a draft as it would in an upload', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${simpleReview().replace(/^<\?xml[^>]*>/, '')}`;
    const res = await call(legal, 'PUT', '/api/modeler/drafts/evil', {
      xml,
      baseVersion: null,
      expectedRevision: null,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BPMN_UNSAFE');
  });
});

describe('only the department’s legal admin edits and deploys', () => {
  it('refuses drafts and deploys from an officer, who may still look', async () => {
    const save = await call(officer, 'PUT', '/api/modeler/drafts/simple_review', {
      xml: simpleReview(),
      baseVersion: 1,
      expectedRevision: null,
    });
    expect(save.status).toBe(403);
    expect((await deployed(officer, { xml: simpleReview(), note: 'x' })).status).toBe(403);
    expect((await call(officer, 'DELETE', '/api/modeler/drafts/simple_review')).status).toBe(403);
    const workspace = await call(officer, 'GET', '/api/modeler/workspace');
    expect(workspace.body.canEdit).toBe(false);
  });

  it('refuses a cookie-borne change without the page’s CSRF token', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/modeler/drafts/simple_review',
      cookies: { fashen_session: legal.token },
      headers: { origin: 'https://evil.example' },
      payload: { xml: simpleReview(), baseVersion: 1, expectedRevision: 2 },
    });
    expect(res.statusCode).toBe(403);
    const sameSite = await t.app.inject({
      method: 'PUT',
      url: '/api/modeler/drafts/simple_review',
      cookies: { fashen_session: legal.token },
      payload: { xml: simpleReview(), baseVersion: 1, expectedRevision: 2 },
    });
    expect(sameSite.statusCode).toBe(403);
    expect(sameSite.json().error.message).toContain('CSRF');
  });
});

describe('deploying from the modeler', () => {
  it('requires a change note and records it once a second legal admin approves', async () => {
    const xml = simpleReview().replace('name="办结"', 'name="办结（已修改）"');
    expect((await deployed(legal, { xml, note: '  ' })).status).toBe(400);
    const done = await deployed(legal, { xml, note: '修改结束事件名称' });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ processKey: 'simple_review', version: 2, created: true });
    const versions = await call(legal, 'GET', '/api/workflows/simple_review/versions');
    expect(versions.body[0]).toMatchObject({ version: 2, changeNote: '修改结束事件名称' });
    // The draft stays until its author discards it (a proposal may be rejected and worked on again).
    expect((await call(legal, 'GET', '/api/modeler/drafts/simple_review')).status).toBe(200);
  });

  it('shows what changed between two versions', async () => {
    const diff = await call(officer, 'GET', '/api/modeler/workflows/simple_review/diff?from=1&to=2');
    expect(diff.status).toBe(200);
    expect(diff.body.changed).toEqual([expect.objectContaining({ id: 'End_done', attributes: ['name'] })]);
    expect(diff.body.added).toEqual([]);
  });

  it('checks a draft with the deploy rules without deploying it', async () => {
    const xml = simpleReview().replace(
      'name="受理审查" fashen:role="legal_admin"',
      'name="法制审核" fashen:role="reviewer"',
    );
    const check = await call(legal, 'POST', '/api/modeler/check', { xml });
    expect(check.body.ok).toBe(false);
    expect(check.body.problems.map((p: { message: string }) => p.message).join()).toContain('须设置审核时限');
    const good = await call(legal, 'POST', '/api/modeler/check', { xml: simpleReview() });
    expect(good.body).toMatchObject({ ok: true, processKey: 'simple_review' });
  });

  it('names a review step without its limit once, also when the step takes its limit from a variable', async () => {
    const problems = async (attrs: string) => {
      const xml = simpleReview().replace('name="受理审查" fashen:role="legal_admin"', attrs);
      const check = await call(legal, 'POST', '/api/modeler/check', { xml });
      return check.body.problems.map((p: { message: string }) => p.message) as string[];
    };
    // The building block's 法制审核: the catalogue item's limit, and no default of the department's own yet.
    const review = await problems('name="法制审核" fashen:role="reviewer" fashen:deadlineVariable="reviewWorkingDays"');
    expect(review).toHaveLength(1);
    expect(review[0]).toContain('须设置审核时限');
    // Another step with a variable limit and no default is told to give one.
    const other = await problems('name="受理审查" fashen:role="legal_admin" fashen:deadlineVariable="acceptDays"');
    expect(other.join()).toContain('须以 fashen:deadlineWorkingDays 给出默认期限');
  });

  it('deploys a Camunda Modeler export that uses only supported elements', async () => {
    const res = await deployed(legal, {
      xml: await importFixture('camunda-supported.bpmn'),
      note: '导入',
    });
    expect(res.status).toBe(201);
  });

  it('names each unsupported element of a Camunda Modeler export', async () => {
    const res = await deployed(legal, {
      xml: await importFixture('camunda-unsupported.bpmn'),
      note: '导入',
    });
    expect(res.status).toBe(400);
    const messages = res.body.error.details.problems.map((p: { message: string }) => p.message).join('\n');
    expect(messages).toContain('scriptTask（id=Activity_review）');
    expect(messages).toContain('businessRuleTask（id=Activity_rules）');
    expect(messages).toContain('camunda:executionListener');
  });
});

describe('trying a catalogue condition', () => {
  const facts = {
    category: 'penalty',
    partyType: 'organization',
    amount: 80000,
    measure: 'fine',
    hearingHeld: false,
    thirdPartyAffected: false,
    complex: false,
    publicInterest: false,
    socialImpact: false,
  };

  it('says whether the item applies to a sample case', async () => {
    const res = await call(officer, 'POST', '/api/modeler/catalogue/try', {
      condition: 'category = "penalty" and amount >= 50000',
      facts,
    });
    expect(res.body).toEqual({ problem: null, result: true, applies: true });
    const no = await call(officer, 'POST', '/api/modeler/catalogue/try', { condition: 'amount >= 100000', facts });
    expect(no.body).toMatchObject({ applies: false, result: false });
  });

  it('reports what deploy would refuse', async () => {
    const res = await call(officer, 'POST', '/api/modeler/catalogue/try', { condition: 'fineAmount > 1', facts });
    expect(res.body.problem).toContain('未知的案件事实 fineAmount');
  });
});

describe.runIf(hasChromium)('the flowchart for the publicity portal', () => {
  it('is an SVG of the deployed flow, public, drawn once per version', async () => {
    const first = await call(null, 'GET', `/api/departments/${departmentId}/flowchart.svg?processKey=simple_review`);
    expect(first.status).toBe(200);
    expect(first.res.headers['content-type']).toContain('image/svg+xml');
    expect(first.res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(first.body).toMatch(/^<\?xml|^<svg/);
    expect(first.body).toContain('受理审查');
    const again = await call(
      null,
      'GET',
      `/api/departments/${departmentId}/flowchart.svg?processKey=simple_review&version=2`,
    );
    expect(again.body).toBe(first.body);
  }, 60_000);

  it('lays out a deployed flow that has no diagram', async () => {
    const xml = simpleReview('bare_review').replace(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>/, '');
    expect((await deployed(legal, { xml, note: '无图' })).status).toBe(201);
    const svg = await call(null, 'GET', `/api/departments/${departmentId}/flowchart.svg?processKey=bare_review`);
    expect(svg.status).toBe(200);
    expect(svg.body).toContain('办结');
  }, 60_000);

  it('is 404 for a department without that flow', async () => {
    const res = await call(null, 'GET', `/api/departments/${departmentId}/flowchart.svg?processKey=nothing_here`);
    expect(res.status).toBe(404);
  });
});
