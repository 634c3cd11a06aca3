/*
 * Who is who, for other capabilities: departments, users and certificates as identity lets others read them.
 * Identity's queries stay its own; what is exported here is the part of them other capabilities may rely on.
 */

export { certificateHolders, countActiveUsers, findCertificate, searchUsers, userForEdit } from './account-queries.js';
export {
  countDepartments,
  countUsers,
  findDepartmentByCode,
  findDepartmentById,
  findUserById,
  findUserForLogin,
  listDepartments,
  listUsers,
  reviewerCountsByDepartment,
} from './queries.js';
export { ROLES, type Role } from './roles.js';
export type { UsersTable } from './tables.js';
export { UNIT_KIND_LABELS, type UnitKind } from './tables.js';
export { actingUnit, listUnits, unitName } from './units.js';
