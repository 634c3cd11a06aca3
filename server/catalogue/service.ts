import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { findLatestDefinition } from '../definitions/latest.js';
import type { DefinitionLoader } from '../engine/definition.js';
import { AppError } from '../http/errors.js';
import { findDepartmentById } from '../identity/directory.js';
import { type CatalogueEvaluation, evaluateCatalogue } from './evaluate.js';
import { floorItemsFor, listFloor } from './floor.js';
import type { CaseFacts, CatalogueItem } from './vocabulary.js';

/** The process key of a department's legal review process; its catalogue is the department's catalogue. */
export const REVIEW_PROCESS_KEY = 'legal_review';

export interface CatalogueDeps {
  db: Kysely<DB> | Transaction<DB>;
  /** Compiled definitions: the catalogue is read once per deployed version, never per request. */
  cache: DefinitionLoader;
}

/** A department's published catalogue: that of the latest deployed version of its legal review process. */
export interface DepartmentCatalogue {
  departmentId: string;
  departmentName: string;
  processKey: string;
  version: number;
  /** The definition the catalogue comes from (cases record it as the version they were judged by). */
  definitionId: string;
  deployedAt: Date;
  items: CatalogueItem[];
}

export async function getDepartmentCatalogue(deps: CatalogueDeps, departmentId: string): Promise<DepartmentCatalogue> {
  const department = await findDepartmentById(deps.db, departmentId);
  if (!department) throw new AppError(404, 'NOT_FOUND', `执法机关 ${departmentId} 不存在`);
  const latest = await findLatestDefinition(deps.db, departmentId, REVIEW_PROCESS_KEY);
  if (!latest) {
    throw new AppError(
      404,
      'DEFINITION_NOT_FOUND',
      `${department.name}尚未部署重大执法决定法制审核流程（${REVIEW_PROCESS_KEY}），没有目录清单`,
    );
  }
  const compiled = await deps.cache.get(deps.db, latest.id);
  return {
    departmentId,
    departmentName: department.name,
    processKey: REVIEW_PROCESS_KEY,
    version: latest.version,
    definitionId: latest.id,
    deployedAt: latest.deployed_at,
    items: compiled.catalogue,
  };
}

/**
 * Judges case facts against a department's current catalogue and the city-wide floor (全市法制审核底线目录): is
 * legal review mandatory, and under which item. The floor applies whatever the department's catalogue says; its
 * items come after the department's, so among items of equal time the department's own governs.
 */
export async function evaluateForDepartment(
  deps: CatalogueDeps,
  departmentId: string,
  facts: CaseFacts,
): Promise<CatalogueEvaluation & { catalogue: DepartmentCatalogue }> {
  const [catalogue, floor] = await Promise.all([getDepartmentCatalogue(deps, departmentId), listFloor(deps.db)]);
  return { ...evaluateCatalogue([...catalogue.items, ...floorItemsFor(floor, facts.category)], facts), catalogue };
}
