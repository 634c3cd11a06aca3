import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { around, flow, processDoc, userTask, withTimer } from '../server/definitions/testing/bpmn-doc.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { approvedUpload } from './helpers/flows.js';

/** CPU milliseconds this process spent since `t0`: what a refusal costs, however loaded the machine is. */
const cpuMs = (t0: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000;
};

const MAX_BYTES = 64 * 1024;
const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/bpmn/${name}`, import.meta.url));
const simpleApproval = readFileSync(fixturePath('simple-approval.bpmn'), 'utf8');
/** The same workflow with a different display name: a new version of the same process key. */
const renamed = (name: string) => simpleApproval.replace('name="简易审批"', `name="${name}"`);

let t: TestApp;
let deptA: { id: string; code: string };
let deptB: { id: string; code: string };
let admin: TestUser;
let legalA: TestUser;
let legalB: TestUser;
let officerA: TestUser;
let _supervisor: TestUser;

beforeAll(async () => {
  t = await createTestApp({ BPMN_MAX_BYTES: MAX_BYTES });
  deptA = await t.newDepartment();
  deptB = await t.newDepartment();
  const bureau = await t.newDepartment();
  admin = await t.newUser({ departmentId: deptA.id, roles: ['admin'] });
  legalA = await t.newUser({ departmentId: deptA.id, roles: ['legal_admin'] });
  legalB = await t.newUser({ departmentId: deptB.id, roles: ['legal_admin'] });
  officerA = await t.newUser({ departmentId: deptA.id, roles: ['officer'] });
  _supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
});
afterAll(() => t.close());

async function deploy(user: TestUser | null, xml: string, query = '', contentType = 'application/xml') {
  return approvedUpload(
    t,
    await t.app.inject({
      method: 'POST',
      url: `/api/workflows${query}`,
      headers: { 'content-type': contentType, ...(user && t.as(user)) },
      payload: xml,
    }),
  );
}

describe('POST /api/workflows', () => {
  it('deploys version 1, then version 2 of the same process key', async () => {
    const first = await deploy(legalA, simpleApproval, '?note=初始版本');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({
      id: expect.any(String),
      departmentId: deptA.id,
      processKey: 'simple_approval',
      name: '简易审批',
      version: 1,
      sha256: createHash('sha256').update(simpleApproval).digest('hex'),
      deployedAt: expect.any(String),
      deployedBy: legalA.id,
    });
    const second = await deploy(legalA, renamed('简易审批（修订）'), '?note=修改名称', 'text/xml; charset=utf-8');
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ version: 2, name: '简易审批（修订）' });
  });

  it('returns the latest version instead of a copy when the same XML is deployed again', async () => {
    const xml = renamed('重复部署');
    const created = await deploy(legalA, xml);
    const again = await deploy(legalA, xml);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(created.json());
  });

  it('keeps one open proposal per key when uploads of it race', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        deploy(legalB, renamed(`并发部署 ${i}`).replace(/simple_approval/g, 'concurrent')),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(results.find((r) => r.statusCode === 201)?.json()).toMatchObject({ version: 1 });
  });

  it('keeps versions per department', async () => {
    const res = await deploy(legalB, simpleApproval);
    expect(res.json()).toMatchObject({ departmentId: deptB.id, version: 1 });
  });

  it('refuses an officer with 403', async () => {
    const res = await deploy(officerA, simpleApproval);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it('refuses an anonymous upload with 401', async () => {
    expect((await deploy(null, simpleApproval)).statusCode).toBe(401);
  });

  it('lets an admin deploy to another department but not a legal admin', async () => {
    const byAdmin = await deploy(
      admin,
      renamed('管理员部署').replace(/simple_approval/g, 'by_admin'),
      `?department=${deptB.code}`,
    );
    expect(byAdmin.statusCode).toBe(201);
    expect(byAdmin.json().departmentId).toBe(deptB.id);
    const byLegal = await deploy(legalA, simpleApproval, `?department=${deptB.code}`);
    expect(byLegal.statusCode).toBe(403);
  });

  it('refuses a body that is not XML with 415', async () => {
    const res = await deploy(legalA, JSON.stringify(simpleApproval), '', 'application/json');
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses an upload over BPMN_MAX_BYTES with 413 in the error shape', async () => {
    const big = simpleApproval.replace(
      '<bpmn:documentation>',
      `<bpmn:documentation>${'审'.repeat(MAX_BYTES / 3 + 10)}`,
    );
    const t0 = process.cpuUsage();
    const res = await deploy(legalA, big);
    expect(cpuMs(t0)).toBeLessThan(1000);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

// biome-ignore lint/suspicious/noTemplateCurlyInString: the injection payload under test, kept literal
const INJECTION = "${environment.constructor.constructor('return process')()}";
const gateway = (f: string) =>
  processDoc(
    `<bpmn:startEvent id="Start" /><bpmn:exclusiveGateway id="Gw" />${flow('F0', 'Start', 'Gw')}${f}${flow('F_else', 'Gw', 'End', 'true')}<bpmn:endEvent id="End" />`,
  );

const hostile: { name: string; xml: string; code: string; names: string }[] = [
  {
    name: 'XXE',
    xml: `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${processDoc('&xxe;').replace(/^<\?xml[^>]*>/, '')}`,
    code: 'BPMN_UNSAFE',
    names: 'DOCTYPE',
  },
  {
    name: 'billion laughs',
    xml: `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&c;</bpmn:definitions>`,
    code: 'BPMN_UNSAFE',
    names: 'DOCTYPE',
  },
  { name: 'invalid XML', xml: '<bpmn:definitions><unclosed', code: 'BPMN_INVALID', names: 'XML' },
  {
    name: 'non-BPMN XML',
    xml: '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    code: 'BPMN_INVALID',
    names: 'BPMN',
  },
  {
    name: 'a script task',
    xml: around('Task_1', '<bpmn:scriptTask id="Task_1"><bpmn:script>require("fs")</bpmn:script></bpmn:scriptTask>'),
    code: 'BPMN_UNSUPPORTED',
    names: 'scriptTask（id=Task_1）',
  },
  {
    name: 'a JavaScript condition',
    xml: gateway(flow('F_js', 'Gw', 'End', 'true', 'javascript')),
    code: 'BPMN_UNSAFE',
    names: 'sequenceFlow（id=F_js）',
  },
  {
    name: 'injection in a condition',
    xml: gateway(flow('F_inj', 'Gw', 'End', INJECTION)),
    code: 'BPMN_UNSAFE',
    names: 'sequenceFlow（id=F_inj）',
  },
  {
    name: 'injection in an attribute',
    xml: around('T', `<bpmn:task id="T" name="${INJECTION}" />`),
    code: 'BPMN_UNSAFE',
    names: 'task（id=T）',
  },
  {
    name: 'an unsupported element',
    xml: around('Call', '<bpmn:callActivity id="Call" calledElement="other" />'),
    code: 'BPMN_UNSUPPORTED',
    names: 'callActivity（id=Call）',
  },
  {
    name: 'a user task without role',
    xml: around('U', userTask('U', '')),
    code: 'BPMN_INVALID',
    names: 'userTask（id=U）',
  },
  {
    name: 'a cycle with no wait state',
    xml: processDoc(
      `<bpmn:startEvent id="Start" />${flow('F1', 'Start', 'Loop')}<bpmn:task id="Loop" />${flow('F2', 'Loop', 'Gw')}<bpmn:exclusiveGateway id="Gw" />${flow('F3', 'Gw', 'Loop', 'true')}${flow('F4', 'Gw', 'End', 'false')}<bpmn:endEvent id="End" />`,
    ),
    code: 'BPMN_INVALID',
    names: 'task（id=Loop）',
  },
  {
    name: 'an unreachable node',
    xml: processDoc(
      `<bpmn:startEvent id="Start" />${flow('F1', 'Start', 'End')}<bpmn:task id="Lost" />${flow('F2', 'Lost', 'End')}<bpmn:endEvent id="End" />`,
    ),
    code: 'BPMN_INVALID',
    names: 'task（id=Lost）',
  },
  {
    name: 'a dead end',
    xml: processDoc(`<bpmn:startEvent id="Start" />${flow('F1', 'Start', 'Stuck')}<bpmn:task id="Stuck" />`),
    code: 'BPMN_INVALID',
    names: 'task（id=Stuck）',
  },
  {
    name: 'a bad timer',
    xml: withTimer('<bpmn:timeDuration>PT0.1S</bpmn:timeDuration>'),
    code: 'BPMN_INVALID',
    names: 'boundaryEvent（id=Timer_1）',
  },
];

describe('hostile uploads over HTTP', () => {
  it.each(hostile)('refuses $name with 400 $code within 1 s and keeps serving', async ({ xml, code, names }) => {
    const t0 = process.cpuUsage();
    const res = await deploy(legalA, xml);
    expect(cpuMs(t0)).toBeLessThan(1000);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toEqual({
      error: { code, message: expect.any(String), details: expect.objectContaining({ problems: expect.any(Array) }) },
    });
    expect(body.error.message).toContain(names);
    expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents the XML upload and download', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    const upload = doc.paths['/api/workflows'].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(['application/xml', 'text/xml']);
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['202', '200', '400', '403', '413']));
    const download = doc.paths['/api/workflows/{key}/versions/{version}'].get;
    expect(Object.keys(download.responses['200'].content)).toEqual(['application/xml']);
  });
});
