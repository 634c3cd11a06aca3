import type { Database } from '../database/connect.js';
import { listDefinitions } from '../definitions/service.js';
import * as q from './queries.js';
import {
  INSPECTION_ITEMS,
  type InspectionItem,
  POWERS,
  type Power,
  SERVICE_GUIDES,
  type ServiceGuide,
} from './sections.js';
import { REMEDY_DEFAULTS, type Remedies, remediesOut } from './service.js';
import { POWER_CATEGORY_LABELS, type PowerCategory } from './vocabulary.js';

export { POWER_CATEGORIES, POWER_CATEGORY_LABELS, type PowerCategory } from './vocabulary.js';

/**
 * Up to this many powers are listed on the agency page itself; a longer list (an agency may have thousands)
 * is summarised by category there, each linking to the paged, searchable powers page.
 */
export const INLINE_POWERS = 40;

/** A deployed process of the agency, drawn by the modeler's flowchart endpoint (执法流程图). */
export interface Flowchart {
  processKey: string;
  name: string;
  version: number;
  /** The SVG of exactly this version: immutable, so browsers and proxies keep it. */
  svgUrl: string;
}

/** Remedies as the public reads them: the department's own, or only the legal time limits when not filled in. */
export type PublicRemedies =
  | (Remedies & { filled: true })
  | (Partial<Remedies> & typeof REMEDY_DEFAULTS & { filled: false });

export interface AgencyDisclosures {
  /** Every power, or none when the caller asked for the summary and the list is longer than INLINE_POWERS. */
  powers: Power[];
  powerCount: number;
  /** The powers by category, for the portal page: each with its count, and its items when listed inline. */
  powerGroups: { category: string; label: string; count: number; items: Power[] }[];
  remedies: PublicRemedies;
  serviceGuides: ServiceGuide[];
  inspectionItems: InspectionItem[];
  flowcharts: Flowchart[];
}

export function flowchartUrl(departmentId: string, processKey: string, version: number): string {
  return `/api/departments/${departmentId}/flowchart.svg?${new URLSearchParams({ processKey, version: String(version) })}`;
}

/**
 * Everything an agency discloses before enforcement (事前公开) besides its officers and review catalogue:
 * five queries in parallel, whatever the length of the lists.
 */
export async function agencyDisclosures(
  db: Database,
  departmentId: string,
  opts: { powers: 'all' | 'summary' } = { powers: 'all' },
): Promise<AgencyDisclosures> {
  const [counts, guideRows, inspectionRows, remedies, definitions] = await Promise.all([
    q.powerCategoryCounts(db, departmentId),
    q.listItems(db, 'agency_service_guides', departmentId),
    q.listItems(db, 'agency_inspection_items', departmentId),
    q.findRemedies(db, departmentId),
    listDefinitions(db, { departmentId }),
  ]);
  const count = new Map(counts.map((c) => [c.category as string, Number(c.n)]));
  const powerCount = [...count.values()].reduce((a, b) => a + b, 0);
  const listed = opts.powers === 'all' || powerCount <= INLINE_POWERS;
  const powers = listed ? (await q.listItems(db, 'agency_powers', departmentId)).map((r) => POWERS.out(r)) : [];
  return {
    powers,
    powerCount,
    powerGroups: Object.entries(POWER_CATEGORY_LABELS)
      .map(([category, label]) => ({
        category,
        label,
        count: count.get(category) ?? 0,
        items: powers.filter((p) => p.category === category),
      }))
      .filter((g) => g.count > 0),
    remedies: remedies ? { ...remediesOut(remedies), filled: true } : { ...REMEDY_DEFAULTS, filled: false },
    serviceGuides: guideRows.map((r) => SERVICE_GUIDES.out(r)),
    inspectionItems: inspectionRows.map((r) => INSPECTION_ITEMS.out(r)),
    flowcharts: definitions.map((d) => ({
      processKey: d.processKey,
      name: d.name,
      version: d.version,
      svgUrl: flowchartUrl(departmentId, d.processKey, d.version),
    })),
  };
}

/** One page of an agency's powers for the portal's powers page, with the total the filter finds. */
export async function publicPowers(
  db: Database,
  departmentId: string,
  filter: { q?: string; category?: PowerCategory; page: number; pageSize: number },
) {
  const { rows, total } = await q.pagePowers(db, departmentId, {
    q: filter.q,
    category: filter.category,
    limit: filter.pageSize,
    offset: (filter.page - 1) * filter.pageSize,
  });
  return { items: rows.map((r) => POWERS.out(r)), total };
}
