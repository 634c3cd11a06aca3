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
import { POWER_CATEGORY_LABELS } from './tables.js';

/** Powers lists longer than this are shown folded by category on the portal. */
const FOLD_ABOVE = 40;

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
  powers: Power[];
  /** The powers by category, for the portal page; long lists start folded. */
  powerGroups: { category: string; label: string; items: Power[]; open: boolean }[];
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
export async function agencyDisclosures(db: Database, departmentId: string): Promise<AgencyDisclosures> {
  const [powerRows, guideRows, inspectionRows, remedies, definitions] = await Promise.all([
    q.listItems(db, 'agency_powers', departmentId),
    q.listItems(db, 'agency_service_guides', departmentId),
    q.listItems(db, 'agency_inspection_items', departmentId),
    q.findRemedies(db, departmentId),
    listDefinitions(db, { departmentId }),
  ]);
  const powers = powerRows.map((r) => POWERS.out(r));
  return {
    powers,
    powerGroups: Object.entries(POWER_CATEGORY_LABELS)
      .map(([category, label]) => ({
        category,
        label,
        items: powers.filter((p) => p.category === category),
        open: powers.length <= FOLD_ABOVE,
      }))
      .filter((g) => g.items.length > 0),
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
