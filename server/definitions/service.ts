import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import * as identity from '../identity/directory.js';
import * as q from './queries.js';
import { type ValidateOptions, validateBpmn } from './validate.js';
import { decodeUpload } from './xml-safety.js';

type Db = Kysely<DB> | Transaction<DB>;
type SummaryRow = NonNullable<Awaited<ReturnType<typeof q.findLatestVersion>>>;

/** A deployed version of a workflow, without its XML. */
export interface DefinitionSummary {
  id: string;
  departmentId: string;
  processKey: string;
  name: string;
  version: number;
  sha256: string;
  deployedAt: Date;
  deployedBy: string | null;
  changeNote: string | null;
}

/** `checks` says what the upload is held to (`deployChecks`): size, the service whitelist, timer bounds. */
export interface DeployInput {
  departmentId: string;
  xml: string;
  deployedBy: string | null;
  changeNote?: string | null;
  checks: ValidateOptions;
}

function toSummary(row: SummaryRow): DefinitionSummary {
  return {
    id: row.id,
    departmentId: row.department_id,
    processKey: row.process_key,
    name: row.name,
    version: row.version,
    sha256: row.sha256,
    deployedAt: row.deployed_at,
    deployedBy: row.deployed_by,
    changeNote: row.change_note,
  };
}

/** What `storeVersion` writes: an already validated document. */
export interface VersionInput {
  departmentId: string;
  processKey: string;
  name: string;
  xml: string;
  deployedBy: string | null;
  changeNote?: string | null;
}

export const sha256Of = (xml: string) => createHash('sha256').update(xml, 'utf8').digest('hex');

/**
 * Stores a validated document as the next version of its process inside the caller's transaction (so that a
 * governed deploy writes the version and its approval together). The XML of the latest version changes nothing
 * and returns that version (`created: false`). `expectVersion`, when given, is the version the caller saw as the
 * latest: if another deploy came first, nothing is written and `stale` says which version is now the latest.
 */
export async function storeVersion(
  trx: Transaction<DB>,
  input: VersionInput,
  expectVersion?: number | null,
): Promise<(DefinitionSummary & { created: boolean }) | { stale: number | null }> {
  await q.lockProcessKey(trx, input.departmentId, input.processKey);
  const latest = await q.findLatestVersion(trx, input.departmentId, input.processKey);
  if (expectVersion !== undefined && (latest?.version ?? null) !== expectVersion) {
    return { stale: latest?.version ?? null };
  }
  const sha256 = sha256Of(input.xml);
  if (latest?.sha256 === sha256) return { ...toSummary(latest), created: false };
  const row = await q.insertDefinition(trx, {
    department_id: input.departmentId,
    process_key: input.processKey,
    version: (latest?.version ?? 0) + 1,
    name: input.name,
    xml: input.xml,
    sha256,
    deployed_by: input.deployedBy,
    change_note: input.changeNote?.trim() || null,
  });
  return { ...toSummary(row), created: true };
}

/**
 * Validates and stores a new version of a workflow in a department. Redeploying the XML of the latest version
 * changes nothing and returns that version (`created: false`).
 */
export async function deployDefinition(
  db: Kysely<DB>,
  input: DeployInput,
): Promise<DefinitionSummary & { created: boolean }> {
  const { processKey, name } = await validateBpmn(input.xml, input.checks);
  return db.transaction().execute(async (trx) => {
    const stored = await storeVersion(trx, { ...input, processKey, name });
    if ('stale' in stored) throw new Error('unreachable: no expected version was given');
    return stored;
  });
}

/** The latest version of each workflow with its number of versions; all departments unless one is given. */
export async function listDefinitions(db: Db, filter: { departmentId?: string } = {}) {
  const rows = await q.listLatestDefinitions(db, filter);
  return rows.map((r) => ({ ...toSummary(r), versionCount: r.version_count }));
}

/** Every version of a workflow in a department, newest first, with the name of whoever deployed it. */
export async function listDefinitionVersions(db: Db, departmentId: string, processKey: string) {
  const rows = await q.listVersions(db, departmentId, processKey);
  if (rows.length === 0) throw notFound(processKey);
  const deployerIds = [...new Set(rows.map((r) => r.deployed_by).filter((id): id is string => id !== null))];
  const deployers = new Map<string, string>();
  for (const id of deployerIds) {
    const user = await identity.findUserById(db, id);
    if (user) deployers.set(id, user.display_name);
  }
  return rows.map((r) => ({
    ...toSummary(r),
    deployedByName: r.deployed_by ? (deployers.get(r.deployed_by) ?? null) : null,
  }));
}

/** One version of a workflow, XML included. */
export async function getDefinitionVersion(db: Db, departmentId: string, processKey: string, version: number) {
  const row = await q.findVersion(db, departmentId, processKey, version);
  if (!row) throw notFound(processKey, version);
  return { ...toSummary(row), xml: row.xml };
}

function notFound(processKey: string, version?: number): AppError {
  const which = version === undefined ? processKey : `${processKey} 第 ${version} 版`;
  return new AppError(404, 'DEFINITION_NOT_FOUND', `本机关没有流程定义 ${which}`);
}

export interface DeployFileInput {
  file: string;
  departmentCode: string;
  deployedByUsername?: string;
  note?: string | null;
  checks: ValidateOptions;
}

/** `fashen deploy <file.bpmn> --department <code>`: deploys a file from disk as if uploaded. */
export async function deployFromFile(
  db: Kysely<DB>,
  input: DeployFileInput,
  deploy: (db: Kysely<DB>, input: DeployInput) => Promise<DefinitionSummary & { created: boolean }> = deployDefinition,
) {
  const { maxBytes } = input.checks;
  const department = await identity.findDepartmentByCode(db, input.departmentCode);
  if (!department) throw new AppError(404, 'NOT_FOUND', `执法机关 ${input.departmentCode} 不存在`);
  let deployedBy: string | null = null;
  if (input.deployedByUsername) {
    const user = await identity.findUserForLogin(db, input.deployedByUsername);
    if (!user) throw new AppError(404, 'NOT_FOUND', `用户 ${input.deployedByUsername} 不存在`);
    deployedBy = user.id;
  }
  const { size } = await stat(input.file);
  if (size > maxBytes) {
    throw new AppError(400, 'BPMN_UNSAFE', `BPMN 文件过大：${size} 字节，上限 ${maxBytes} 字节`);
  }
  const { text, problem } = decodeUpload(await readFile(input.file));
  return deploy(db, {
    departmentId: department.id,
    xml: text,
    deployedBy,
    changeNote: input.note ?? null,
    checks: { ...input.checks, encodingProblem: problem },
  });
}
