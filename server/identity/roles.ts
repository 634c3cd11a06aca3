/** The roles a user may hold; routes and BPMN user tasks name them, the users table stores them. */
export const ROLES = ['officer', 'reviewer', 'chief', 'legal_admin', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
