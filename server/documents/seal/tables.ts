import type { Selectable } from 'kysely';

/** A department's seal (印章) as printed on the documents it issues: one current image per department. */
export interface DepartmentSealsTable {
  department_id: string;
  /** The PNG exactly as uploaded: documents embed these bytes unchanged. */
  image: Buffer;
  /** SM3 of the image, lowercase hex. */
  sm3: string;
  size: number;
  /** Pixels, read from the PNG's IHDR. */
  width: number;
  height: number;
  uploaded_by: string;
  uploaded_at: Date;
}

export interface SealTables {
  department_seals: DepartmentSealsTable;
}

export type DepartmentSealRow = Selectable<DepartmentSealsTable>;
