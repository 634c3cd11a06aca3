import type { Generated, Selectable } from 'kysely';
import type { PowerCategory, ProfileSection } from './vocabulary.js';

export type ChangeAction = 'created' | 'updated' | 'deleted' | 'imported';

interface Stamp {
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface AgencyPowersTable extends Stamp {
  id: Generated<string>;
  department_id: string;
  code: string;
  name: string;
  category: PowerCategory;
  legal_basis: string;
  implementing_unit: string | null;
  sort_order: Generated<number>;
}

export interface AgencyRemediesTable extends Stamp {
  department_id: string;
  reconsideration_organ: string;
  reconsideration_address: string | null;
  reconsideration_phone: string | null;
  reconsideration_time_limit: string;
  court_name: string;
  court_address: string | null;
  court_phone: string | null;
  litigation_time_limit: string;
  notes: string | null;
}

export interface AgencyServiceGuidesTable extends Stamp {
  id: Generated<string>;
  department_id: string;
  title: string;
  matter: string;
  materials: string | null;
  procedure: string;
  time_limit: string | null;
  fees: string | null;
  place_hours: string | null;
  phone: string | null;
  sort_order: Generated<number>;
}

export interface AgencyInspectionItemsTable extends Stamp {
  id: Generated<string>;
  department_id: string;
  name: string;
  objects: string;
  method: string;
  basis: string;
  inspecting_unit: string | null;
  ratio: string;
  sort_order: Generated<number>;
}

export interface AgencyProfileChangesTable {
  id: Generated<number>;
  department_id: string;
  section: ProfileSection;
  item_id: string | null;
  action: ChangeAction;
  summary: string;
  actor_id: string | null;
  at: Generated<Date>;
}

export interface AgencyProfileTables {
  agency_powers: AgencyPowersTable;
  agency_remedies: AgencyRemediesTable;
  agency_service_guides: AgencyServiceGuidesTable;
  agency_inspection_items: AgencyInspectionItemsTable;
  agency_profile_changes: AgencyProfileChangesTable;
}

export type PowerRow = Selectable<AgencyPowersTable>;
export type RemediesRow = Selectable<AgencyRemediesTable>;
export type ServiceGuideRow = Selectable<AgencyServiceGuidesTable>;
export type InspectionItemRow = Selectable<AgencyInspectionItemsTable>;
