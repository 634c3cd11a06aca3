import { powerCategoriesByDepartment } from '../agency-profile/power-categories.js';
import type { PowerCategory } from '../agency-profile/vocabulary.js';
import { AppError } from '../http/errors.js';
import { listDepartments } from '../identity/directory.js';
import { type CatalogueDeps, getDepartmentCatalogue } from './service.js';
import { CATEGORIES, CATEGORY_LABELS, type CatalogueCategory } from './vocabulary.js';

/** The catalogue category a category of power falls under (征收 and 征用 are one catalogue category). */
const CATALOGUE_CATEGORY: Partial<Record<PowerCategory, CatalogueCategory>> = {
  licensing: 'licensing',
  penalty: 'penalty',
  coercion: 'coercion',
  levy: 'levy',
  requisition: 'levy',
};

export interface CatalogueGap {
  departmentId: string;
  departmentName: string;
  /** False when the department has deployed no legal review process at all. */
  deployed: boolean;
  /** Categories the department holds powers in that its own catalogue has no item of. */
  missing: { category: CatalogueCategory; label: string }[];
}

/**
 * Departments whose own catalogue covers none of a category they hold powers in (职权事项清单): the floor still
 * applies to their cases, but the justice bureau is told, so the department refines its catalogue (seed 三.2).
 */
export async function catalogueGaps(deps: CatalogueDeps): Promise<CatalogueGap[]> {
  const [departments, powers] = await Promise.all([listDepartments(deps.db), powerCategoriesByDepartment(deps.db)]);
  const gaps: CatalogueGap[] = [];
  for (const d of departments) {
    if (d.kind !== 'agency') continue;
    const held = new Set(
      [...(powers.get(d.id) ?? [])].flatMap((p) => (CATALOGUE_CATEGORY[p] ? [CATALOGUE_CATEGORY[p]] : [])),
    );
    if (held.size === 0) continue;
    const catalogue = await getDepartmentCatalogue(deps, d.id).catch((e: unknown) => {
      if (e instanceof AppError && e.statusCode === 404) return null;
      throw e;
    });
    const covered = new Set(catalogue?.items.map((i) => i.category) ?? []);
    const missing = CATEGORIES.filter((c) => held.has(c) && !covered.has(c)).map((category) => ({
      category,
      label: CATEGORY_LABELS[category],
    }));
    if (missing.length)
      gaps.push({ departmentId: d.id, departmentName: d.name, deployed: catalogue !== null, missing });
  }
  return gaps;
}
