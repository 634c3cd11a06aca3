import { type FieldSpec, GUIDE_FIELDS, INSPECTION_FIELDS, POWER_FIELDS } from './fields.js';
import type { ItemTable } from './queries.js';
import type { InspectionItemRow, PowerRow, ServiceGuideRow } from './tables.js';
import { POWER_CATEGORY_LABELS, type PowerCategory } from './vocabulary.js';

interface Stamped {
  id: string;
  sortOrder: number;
  updatedAt: string;
}

export interface Power extends Stamped {
  code: string;
  name: string;
  category: PowerCategory;
  categoryLabel: string;
  legalBasis: string;
  implementingUnit: string | null;
}

export interface ServiceGuide extends Stamped {
  title: string;
  matter: string;
  materials: string | null;
  procedure: string;
  timeLimit: string | null;
  fees: string | null;
  placeHours: string | null;
  phone: string | null;
}

export interface InspectionItem extends Stamped {
  name: string;
  objects: string;
  method: string;
  basis: string;
  inspectingUnit: string | null;
  ratio: string;
}

/** A list section of the disclosures: its table, its fields and how a row reads in the domain. */
export interface ListSection<T extends Stamped = Stamped, R = never> {
  section: 'powers' | 'service_guides' | 'inspection_items';
  /** The section's segment in API and page paths. */
  slug: string;
  table: ItemTable;
  title: string;
  noun: string;
  fields: FieldSpec[];
  /** Fields shown as columns of the workbench list. */
  columns: string[];
  /** How the change log names an item. */
  summary(item: T): string;
  out(row: R): T;
}

const stamp = (r: { id: string; sort_order: number; updated_at: Date }) => ({
  id: r.id,
  sortOrder: r.sort_order,
  updatedAt: r.updated_at.toISOString(),
});

export const POWERS: ListSection<Power, PowerRow> = {
  section: 'powers',
  slug: 'powers',
  table: 'agency_powers',
  title: '职权事项清单',
  noun: '职权事项',
  fields: POWER_FIELDS,
  columns: ['code', 'name', 'categoryLabel', 'legalBasis', 'implementingUnit'],
  summary: (p) => `${p.code} ${p.name}`,
  out: (r) => ({
    ...stamp(r),
    code: r.code,
    name: r.name,
    category: r.category,
    categoryLabel: POWER_CATEGORY_LABELS[r.category],
    legalBasis: r.legal_basis,
    implementingUnit: r.implementing_unit,
  }),
};

export const SERVICE_GUIDES: ListSection<ServiceGuide, ServiceGuideRow> = {
  section: 'service_guides',
  slug: 'service-guides',
  table: 'agency_service_guides',
  title: '办事指南',
  noun: '办事指南',
  fields: GUIDE_FIELDS,
  columns: ['title', 'matter', 'timeLimit', 'phone'],
  summary: (g) => g.title,
  out: (r) => ({
    ...stamp(r),
    title: r.title,
    matter: r.matter,
    materials: r.materials,
    procedure: r.procedure,
    timeLimit: r.time_limit,
    fees: r.fees,
    placeHours: r.place_hours,
    phone: r.phone,
  }),
};

export const INSPECTION_ITEMS: ListSection<InspectionItem, InspectionItemRow> = {
  section: 'inspection_items',
  slug: 'inspection-items',
  table: 'agency_inspection_items',
  title: '随机抽查事项清单',
  noun: '抽查事项',
  fields: INSPECTION_FIELDS,
  columns: ['name', 'objects', 'method', 'ratio'],
  summary: (i) => i.name,
  out: (r) => ({
    ...stamp(r),
    name: r.name,
    objects: r.objects,
    method: r.method,
    basis: r.basis,
    inspectingUnit: r.inspecting_unit,
    ratio: r.ratio,
  }),
};

export const LIST_SECTIONS: ListSection[] = [POWERS, SERVICE_GUIDES, INSPECTION_ITEMS];

/** A field key as its column: the columns are the keys in snake case. */
export const columnOf = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function toColumns(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [columnOf(k), v]));
}
