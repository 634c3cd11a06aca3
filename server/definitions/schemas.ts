import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';

/** A deployed version of a department's process, as the API answers it. */
export const DefinitionSchema = Type.Object({
  id: Uuid,
  departmentId: Uuid,
  processKey: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  sha256: Type.String(),
  deployedAt: IsoDateTime,
  deployedBy: Type.Union([Uuid, Type.Null()]),
});
