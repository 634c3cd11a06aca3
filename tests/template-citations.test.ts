import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS } from '../server/documents/kinds.js';
import { STANDARD_TEMPLATES_DIR } from '../server/documents/template-source.js';
import { templateCitationWarnings } from '../server/laws/template-citations.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { importLaws } from './helpers/laws.js';

// The legal bases a document template states in its own text are checked against the law library when a legal
// admin uploads it (a warning, not a refusal); the standard templates cite only articles that resolve.
let t: TestApp;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const dept = await t.newDepartment();
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  await importLaws(t, /^(行政法|行政法规)\/(行政处罚法|行政执法机关移送涉嫌犯罪)/);
});
afterAll(() => t.close());

const standard = (kind: string) => readFileSync(new URL(`${kind}.hbs`, STANDARD_TEMPLATES_DIR), 'utf8');

describe('citations in document templates', () => {
  it('of every standard template resolve in the version in force', async () => {
    const cited = DOCUMENT_KINDS.filter((k) => standard(k).includes('》第'));
    expect(cited).toEqual(expect.arrayContaining(['penalty_notice', 'transfer_notice']));
    for (const kind of DOCUMENT_KINDS) {
      expect(await templateCitationWarnings(t.db, standard(kind), '2026-12-05'), kind).toEqual([]);
    }
  });

  it('are warned of on upload when they do not resolve, naming the line; the template is kept', async () => {
    const source = standard('correction_notice').replace(
      '补正材料期间不计入法制审核时限。',
      '补正材料期间不计入法制审核时限（《中华人民共和国行政处罚法》第五十八条、第九百条）。',
    );
    const line = source.split('\n').findIndex((l) => l.includes('第九百条')) + 1;
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/templates/correction_notice',
      headers: { ...t.as(legal), 'content-type': 'text/plain' },
      payload: source,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().warnings).toEqual([
      expect.objectContaining({
        code: 'CITATION_UNRESOLVED',
        line,
        citation: '《中华人民共和国行政处罚法》第五十八条、第九百条',
        message: expect.stringContaining('没有所引的条'),
      }),
    ]);
    const kept = await t.app.inject({ method: 'GET', url: '/api/templates/correction_notice', headers: t.as(legal) });
    expect(kept.json()).toMatchObject({ origin: 'department', source });
  });
});
