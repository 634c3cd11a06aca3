import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { agencyWithCase } from './helpers/review.js';

let t: TestApp;
const CODE = '91320900MA1XXXXX0X';
let caseNumber: string;

beforeAll(async () => {
  t = await createTestApp();
  ({ caseNumber } = await agencyWithCase(t, '进度查询测试局'));
});
afterAll(() => t.close());

function query(body: Record<string, string>, address: string) {
  return t.app.inject({ method: 'POST', url: '/api/public/progress', payload: body, remoteAddress: address });
}

describe('the party’s progress query (办理进度查询)', () => {
  it('shows the stages and deadlines of the case for the right number and code, and nothing about people', async () => {
    const res = await query({ caseNumber, partyCode: CODE.toLowerCase() }, '10.1.0.1');
    expect(res.statusCode).toBe(200);
    const [c] = res.json().cases;
    expect(c).toMatchObject({ caseNumber, status: '受理审查中', category: '行政处罚' });
    expect(c.stages.length).toBeGreaterThan(0);
    // Exactly these fields per stage; acceptance has its own time limit like every step.
    expect(c.stages[0]).toEqual({
      name: '受理审查（材料是否齐全）',
      state: 'open',
      startedAt: expect.any(String),
      dueAt: expect.stringMatching(/T15:59:59/),
      endedAt: null,
    });
    // No packet, facts, officers or the party's details.
    expect(res.body).not.toMatch(/factsFound|officer|assignee|亭湖区|测试用户|MA1XXXXX/);
  });

  it('answers a wrong code, a wrong number and both wrong alike (status, body)', async () => {
    const answers = [
      await query({ caseNumber, partyCode: '91320900MA1YYYYY0Y' }, '10.1.0.2'),
      await query({ caseNumber: `${caseNumber}-X`, partyCode: CODE }, '10.1.0.2'),
      await query({ caseNumber: 'NO-SUCH-CASE', partyCode: '110105199003071234' }, '10.1.0.2'),
    ];
    for (const a of answers) {
      expect(a.statusCode).toBe(404);
      expect(a.body).toBe(answers[0].body);
      expect(a.headers['content-length']).toBe(answers[0].headers['content-length']);
    }
  });

  it('takes about as long for an existing case with a wrong code as for no case at all', async () => {
    const time = async (body: Record<string, string>, address: string) => {
      const started = performance.now();
      await query(body, address);
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const wrongCode: number[] = [];
    const noCase: number[] = [];
    await time({ caseNumber, partyCode: '91320900MA1YYYYY0Y' }, '10.2.99.1');
    await time({ caseNumber: 'NONE-X', partyCode: CODE }, '10.2.99.2');
    // Each pair in turn order (which goes first alternates), so that a slow moment of the machine weighs on both.
    for (let i = 0; i < 21; i++) {
      const pair = [
        async () => wrongCode.push(await time({ caseNumber, partyCode: '91320900MA1YYYYY0Y' }, `10.2.${i}.1`)),
        async () => noCase.push(await time({ caseNumber: `NONE-${i}`, partyCode: CODE }, `10.2.${i}.2`)),
      ];
      for (const run of i % 2 ? pair.reverse() : pair) await run();
    }
    const [a, b] = [median(wrongCode), median(noCase)];
    expect(Math.max(a, b) / Math.min(a, b)).toBeLessThan(3);
  });

  it('throttles queries per address', async () => {
    const codes = [];
    for (let i = 0; i < 11; i++) codes.push((await query({ caseNumber, partyCode: CODE }, '10.1.0.9')).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true);
    expect(codes[10]).toBe(429);
    expect((await query({ caseNumber, partyCode: CODE }, '10.1.0.10')).statusCode).toBe(200);
  });
});
