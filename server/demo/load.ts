import { readFile } from 'node:fs/promises';
import { loadDemoProfile } from '../agency-profile/demo.js';
import type { Core } from '../assembly.js';
import { pointListFrom, savePointList } from '../cases/point-lists.js';
import { addToPool } from '../cases/pool.js';
import { saveLeaderList } from '../collective/leaders.js';
import { loadDemoBenchmark } from '../discretion/demo.js';
import * as identity from '../identity/directory.js';
import type { Role } from '../identity/roles.js';
import { createDepartment, createUser, setDocumentAbbreviation } from '../identity/service.js';
import { createUnit, updateUnit } from '../identity/units.js';

export const DEMO_PASSWORD = 'fashen-demo';

export const DEMO_LOGINS: { username: string; description: string }[] = [
  { username: 'officer1', description: '承办人 · 市市场监督管理局（送审、补正、记录决定）' },
  { username: 'legaladmin1', description: '法制机构管理员 · 市市场监督管理局（受理审查、协调、公示、流程与目录）' },
  { username: 'reviewer1', description: '法制审核人员 · 市市场监督管理局（系统按待办数自动分配审核人员）' },
  { username: 'reviewer2', description: '法制审核人员（公职律师）· 市市场监督管理局（同上，案件可能分给此人）' },
  { username: 'chief1', description: '负责人（局长）· 市市场监督管理局（负责人决定、召集集体讨论、批准移送）' },
  { username: 'leader1', description: '负责人（副局长）· 市市场监督管理局（领导班子成员：集体讨论表决）' },
  { username: 'leader2', description: '负责人（副局长）· 市市场监督管理局（领导班子成员：集体讨论表决）' },
  { username: 'leader3', description: '负责人（副局长）· 市市场监督管理局（领导班子成员：集体讨论表决）' },
  { username: 'leader4', description: '负责人（纪检监察组组长）· 市市场监督管理局（领导班子成员：集体讨论表决）' },
  {
    username: 'legaladmin3',
    description: '法制机构管理员 · 市市场监督管理局（审批 legaladmin1 提出的流程与目录变更）',
  },
  { username: 'supervisor1', description: '司法行政监督 · 市司法局（含各机关流程与目录变更）' },
  { username: 'admin', description: '系统管理员 · 市司法局' },
];

/** Each agency belongs to an enforcement system (执法系统): the reviewer pool lends within one. */
const DEPARTMENTS = [
  {
    code: 'SFJ',
    name: '市司法局',
    kind: 'justice_bureau' as const,
    enforcement_staff_count: 40,
    abbr: '市司',
    system: null,
  },
  {
    code: 'SCJG',
    name: '市市场监督管理局',
    kind: 'agency' as const,
    enforcement_staff_count: 120,
    abbr: '市监',
    system: '市场监管系统',
  },
  {
    code: 'STHJ',
    name: '市生态环境局',
    kind: 'agency' as const,
    enforcement_staff_count: 80,
    abbr: '市环',
    system: '生态环境系统',
  },
];

/**
 * Each department's internal units (内设机构): the 承办机构 that submits cases, the 法制审核机构 that reviews
 * them, and the others every demo user belongs to. `head` is the username of the unit's 负责人.
 */
const UNITS: { dept: string; name: string; kind: identity.UnitKind; head?: string }[] = [
  { dept: 'SCJG', name: '执法稽查局', kind: 'handling' },
  { dept: 'SCJG', name: '法规科', kind: 'legal_review', head: 'legaladmin1' },
  { dept: 'SCJG', name: '局领导', kind: 'other', head: 'chief1' },
  { dept: 'STHJ', name: '生态环境执法支队', kind: 'handling' },
  { dept: 'STHJ', name: '政策法规处', kind: 'legal_review', head: 'legaladmin2' },
  { dept: 'STHJ', name: '局领导', kind: 'other', head: 'chief2' },
  { dept: 'SFJ', name: '行政执法协调监督处', kind: 'other', head: 'supervisor1' },
  { dept: 'SFJ', name: '办公室', kind: 'other' },
];
/** Reviewers' 法律职业资格 (certificate number, date obtained) and whether they are new to legal review. */
const QUALIFICATIONS: Record<string, { number: string; date: string; firstTime: boolean }> = {
  reviewer1: { number: 'A20153209011021', date: '2016-02-26', firstTime: false },
  reviewer2: { number: 'A20203209020317', date: '2021-03-12', firstTime: true },
  reviewer3: { number: 'A20183209030544', date: '2019-03-01', firstTime: false },
  reviewer4: { number: 'A20123209040088', date: '2013-02-20', firstTime: false },
};

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
  /** The unit (of UNITS, in the user's department) the user belongs to. */
  unit: string;
}[] = [
  {
    dept: 'SCJG',
    username: 'officer1',
    name: '王承办',
    roles: ['officer'],
    domain: '市场监管',
    position: '执法稽查局科员',
    unit: '执法稽查局',
  },
  { dept: 'SCJG', username: 'officer2', name: '李承办', roles: ['officer'], domain: '市场监管', unit: '执法稽查局' },
  {
    dept: 'SCJG',
    username: 'reviewer1',
    name: '张审核',
    roles: ['reviewer'],
    position: '法规科副科长',
    unit: '法规科',
  },
  { dept: 'SCJG', username: 'reviewer2', name: '赵律师', roles: ['reviewer'], kind: 'public_lawyer', unit: '法规科' },
  { dept: 'SCJG', username: 'chief1', name: '陈局长', roles: ['chief'], position: '局长', unit: '局领导' },
  { dept: 'SCJG', username: 'leader1', name: '刘副局长', roles: ['chief'], position: '副局长', unit: '局领导' },
  { dept: 'SCJG', username: 'leader2', name: '黄副局长', roles: ['chief'], position: '副局长', unit: '局领导' },
  { dept: 'SCJG', username: 'leader3', name: '林副局长', roles: ['chief'], position: '副局长', unit: '局领导' },
  { dept: 'SCJG', username: 'leader4', name: '马组长', roles: ['chief'], position: '纪检监察组组长', unit: '局领导' },
  {
    dept: 'SCJG',
    username: 'legaladmin1',
    name: '周法规',
    roles: ['legal_admin'],
    position: '法规科科长',
    unit: '法规科',
  },
  {
    dept: 'SCJG',
    username: 'legaladmin3',
    name: '郑审核',
    roles: ['legal_admin'],
    position: '法规科副科长',
    unit: '法规科',
  },
  {
    dept: 'STHJ',
    username: 'officer3',
    name: '孙承办',
    roles: ['officer'],
    domain: '生态环境',
    unit: '生态环境执法支队',
  },
  {
    dept: 'STHJ',
    username: 'reviewer3',
    name: '吴审核',
    roles: ['reviewer'],
    position: '政策法规处四级主任科员',
    unit: '政策法规处',
  },
  {
    dept: 'STHJ',
    username: 'reviewer4',
    name: '郑顾问',
    roles: ['reviewer'],
    kind: 'legal_adviser',
    unit: '政策法规处',
  },
  { dept: 'STHJ', username: 'chief2', name: '冯局长', roles: ['chief'], position: '副局长', unit: '局领导' },
  {
    dept: 'STHJ',
    username: 'legaladmin2',
    name: '何法规',
    roles: ['legal_admin'],
    position: '政策法规处处长',
    unit: '政策法规处',
  },
  { dept: 'SFJ', username: 'supervisor1', name: '司法监督员', roles: ['supervisor'], unit: '行政执法协调监督处' },
  { dept: 'SFJ', username: 'admin', name: '系统管理员', roles: ['admin'], unit: '办公室' },
];

/** Each agency's review process with its own catalogue and time limits, and the small demo flow. */
const DEMO_WORKFLOWS: { dept: string; file: string }[] = [
  { dept: 'SCJG', file: 'legal-review-scjg.bpmn' },
  { dept: 'STHJ', file: 'legal-review-sthj.bpmn' },
  { dept: 'SCJG', file: 'demo-review.bpmn' },
  { dept: 'STHJ', file: 'demo-review.bpmn' },
];

/**
 * Review points beyond 118号's eleven, as a market regulator keeps them: one for every case (轻微违法不予处罚清单),
 * one for the catalogue item of licence revocation and suspension (行政处罚法第六十三条: the party's right to a hearing).
 */
const DEMO_POINTS: { dept: string; itemCode: string; labels: string[] }[] = [
  { dept: 'SCJG', itemCode: '', labels: ['是否属于首次违法且危害后果轻微可不予处罚的情形'] },
  { dept: 'SCJG', itemCode: 'SJ-03', labels: ['是否已告知当事人要求听证的权利'] },
];

/**
 * 领导班子名单 of the market regulator, in order: a case under its catalogue item marked for 集体讨论 (SJ-05) is
 * decided by these leaders, more than half of them (3 of 5) attending.
 */
const LEADERS: { dept: string; keeper: string; leaders: string[]; presiding: string } = {
  dept: 'SCJG',
  keeper: 'legaladmin1',
  leaders: ['chief1', 'leader1', 'leader2', 'leader3', 'leader4'],
  // 局长: approves transfers of suspected crimes (移送涉嫌犯罪案件的规定 第五条).
  presiding: 'chief1',
};

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
          enforcementSystem: d.system,
        })
      ).id;
    await setDocumentAbbreviation(db, id, d.abbr);
    ids.set(d.code, id);
  }
  const unitIds = new Map<string, string>();
  for (const u of UNITS) {
    const unit = await createUnit(db, ids.get(u.dept)!, { name: u.name, kind: u.kind });
    unitIds.set(`${u.dept}/${u.name}`, unit.id);
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
      unitId: unitIds.get(`${u.dept}/${u.unit}`),
      legalQualification: QUALIFICATIONS[u.username] ?? null,
      firstTimeReviewer: QUALIFICATIONS[u.username]?.firstTime ?? false,
    });
  }
  for (const u of UNITS.filter((x) => x.head)) {
    const head = await identity.findUserForLogin(db, u.head!);
    await updateUnit(db, unitIds.get(`${u.dept}/${u.name}`)!, { headUserId: head?.id ?? null });
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
  for (const p of DEMO_POINTS) {
    const admin = await identity.findUserForLogin(db, 'legaladmin1');
    await savePointList(db, ids.get(p.dept)!, p.itemCode, pointListFrom(p.labels, []), admin!.id);
  }
  const keeper = await identity.findUserForLogin(db, LEADERS.keeper);
  const positions = new Map(USERS.map((u) => [u.username, u.position ?? '负责人']));
  const leaders = [];
  for (const username of LEADERS.leaders) {
    const user = await identity.findUserForLogin(db, username);
    if (user)
      leaders.push({ userId: user.id, position: positions.get(username)!, presiding: username === LEADERS.presiding });
  }
  await saveLeaderList(db, ids.get(LEADERS.dept)!, leaders, keeper!.id);
  for (const username of POOL) {
    const user = await identity.findUserForLogin(db, username);
    if (user) await addToPool(db, user.id, '演示：全市人才库', null);
  }
  await loadDemoProfile(db);
  await loadDemoBenchmark(db);
  return { loaded: true };
}
