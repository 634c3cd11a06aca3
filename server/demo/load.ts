import { readFile } from 'node:fs/promises';
import { loadDemoProfile } from '../agency-profile/demo.js';
import type { Core } from '../assembly.js';
import { addToPool } from '../cases/pool.js';
import * as identity from '../identity/directory.js';
import type { Role } from '../identity/roles.js';
import { createDepartment, createUser, setDocumentAbbreviation } from '../identity/service.js';

export const DEMO_PASSWORD = 'fashen-demo';

export const DEMO_LOGINS: { username: string; description: string }[] = [
  { username: 'officer1', description: '承办人 · 市市场监督管理局（送审、补正、记录决定）' },
  { username: 'legaladmin1', description: '法制机构管理员 · 市市场监督管理局（受理审查、协调、公示、流程与目录）' },
  { username: 'reviewer1', description: '法制审核人员 · 市市场监督管理局（系统按待办数自动分配审核人员）' },
  { username: 'reviewer2', description: '法制审核人员（公职律师）· 市市场监督管理局（同上，案件可能分给此人）' },
  { username: 'chief1', description: '负责人 · 市市场监督管理局（负责人决定）' },
  {
    username: 'legaladmin3',
    description: '法制机构管理员 · 市市场监督管理局（审批 legaladmin1 提出的流程与目录变更）',
  },
  { username: 'supervisor1', description: '司法行政监督 · 市司法局（含各机关流程与目录变更）' },
  { username: 'admin', description: '系统管理员 · 市司法局' },
];

const DEPARTMENTS = [
  { code: 'SFJ', name: '市司法局', kind: 'justice_bureau' as const, enforcement_staff_count: 40, abbr: '市司' },
  { code: 'SCJG', name: '市市场监督管理局', kind: 'agency' as const, enforcement_staff_count: 120, abbr: '市监' },
  { code: 'STHJ', name: '市生态环境局', kind: 'agency' as const, enforcement_staff_count: 80, abbr: '市环' },
];

const cert = (n: string, domain: string) => ({ number: n, domain, validFrom: '2024-01-01', validUntil: '2028-12-31' });

const USERS: {
  dept: string;
  username: string;
  name: string;
  roles: Role[];
  domain?: string;
  kind?: 'legal_adviser' | 'public_lawyer';
  /** 职务, as the documents they sign state it. */
  position?: string;
}[] = [
  {
    dept: 'SCJG',
    username: 'officer1',
    name: '王承办',
    roles: ['officer'],
    domain: '市场监管',
    position: '执法稽查局科员',
  },
  { dept: 'SCJG', username: 'officer2', name: '李承办', roles: ['officer'], domain: '市场监管' },
  { dept: 'SCJG', username: 'reviewer1', name: '张审核', roles: ['reviewer'], position: '法规科副科长' },
  { dept: 'SCJG', username: 'reviewer2', name: '赵律师', roles: ['reviewer'], kind: 'public_lawyer' },
  { dept: 'SCJG', username: 'chief1', name: '陈局长', roles: ['chief'], position: '局长' },
  { dept: 'SCJG', username: 'legaladmin1', name: '周法规', roles: ['legal_admin'], position: '法规科科长' },
  { dept: 'SCJG', username: 'legaladmin3', name: '郑审核', roles: ['legal_admin'], position: '法规科副科长' },
  { dept: 'STHJ', username: 'officer3', name: '孙承办', roles: ['officer'], domain: '生态环境' },
  { dept: 'STHJ', username: 'reviewer3', name: '吴审核', roles: ['reviewer'], position: '政策法规处四级主任科员' },
  { dept: 'STHJ', username: 'reviewer4', name: '郑顾问', roles: ['reviewer'], kind: 'legal_adviser' },
  { dept: 'STHJ', username: 'chief2', name: '冯局长', roles: ['chief'], position: '副局长' },
  { dept: 'STHJ', username: 'legaladmin2', name: '何法规', roles: ['legal_admin'], position: '政策法规处处长' },
  { dept: 'SFJ', username: 'supervisor1', name: '司法监督员', roles: ['supervisor'] },
  { dept: 'SFJ', username: 'admin', name: '系统管理员', roles: ['admin'] },
];

/** Each agency's review process with its own catalogue and time limits, and the small demo flow. */
const DEMO_WORKFLOWS: { dept: string; file: string }[] = [
  { dept: 'SCJG', file: 'legal-review-scjg.bpmn' },
  { dept: 'STHJ', file: 'legal-review-sthj.bpmn' },
  { dept: 'SCJG', file: 'demo-review.bpmn' },
  { dept: 'STHJ', file: 'demo-review.bpmn' },
];

/** Reviewers the justice bureau has put in the city's shared pool (人才库). */
const POOL = ['reviewer4'];

/** Loads demo departments, users and workflows. Only the demo loader ever creates these accounts. */
export async function loadDemoData(
  core: Pick<Core, 'database' | 'deploy'>,
  opts: { onlyIfEmpty: boolean },
): Promise<{ loaded: boolean; reason?: string }> {
  const db = core.database.db;
  if (opts.onlyIfEmpty && (await identity.countUsers(db)) > 0) return { loaded: false, reason: 'database not empty' };
  if (await identity.findUserForLogin(db, 'admin')) return { loaded: false, reason: 'demo users already exist' };
  const ids = new Map<string, string>();
  for (const d of DEPARTMENTS) {
    const existing = await identity.findDepartmentByCode(db, d.code);
    const id =
      existing?.id ??
      (
        await createDepartment(db, {
          code: d.code,
          name: d.name,
          kind: d.kind,
          enforcementStaffCount: d.enforcement_staff_count,
        })
      ).id;
    await setDocumentAbbreviation(db, id, d.abbr);
    ids.set(d.code, id);
  }
  let n = 1;
  for (const u of USERS) {
    await createUser(db, {
      departmentId: ids.get(u.dept)!,
      username: u.username,
      displayName: u.name,
      password: DEMO_PASSWORD,
      roles: u.roles,
      certificate: u.domain ? cert(`32090019${String(n++).padStart(4, '0')}`, u.domain) : undefined,
      reviewerKind: u.kind,
      position: u.position,
    });
  }
  for (const w of DEMO_WORKFLOWS) {
    const xml = await readFile(new URL(`../../workflows/${w.file}`, import.meta.url), 'utf8');
    const deployer = await identity.findUserForLogin(db, w.dept === 'SCJG' ? 'legaladmin1' : 'legaladmin2');
    await core.deploy({
      departmentId: ids.get(w.dept)!,
      xml,
      deployedBy: deployer?.id ?? null,
      changeNote: '演示数据初始版本',
    });
  }
  for (const username of POOL) {
    const user = await identity.findUserForLogin(db, username);
    if (user) await addToPool(db, user.id, '演示：全市人才库', null);
  }
  await loadDemoProfile(db);
  return { loaded: true };
}
