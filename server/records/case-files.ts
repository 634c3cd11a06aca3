import type { attachmentStorageKey, attachmentsOfCases, casesOfInstances, casesOfParty } from '../cases/reads.js';
import type { CaseRow } from '../cases/tables.js';
import type { documentFilesByIds, documentFilesOfCase, documentSummariesOfCases } from '../documents/reads.js';
import type { Actor } from '../identity/service.js';

/**
 * What the record reads of the cases and documents it records, given at assembly: the record sits below the
 * review and the documents (they write into it), so it reads them through this port instead of importing them.
 */
export interface CaseFiles {
  casesOfInstances: typeof casesOfInstances;
  casesOfParty: typeof casesOfParty;
  attachmentsOfCases: typeof attachmentsOfCases;
  attachmentStorageKey: typeof attachmentStorageKey;
  documentSummariesOfCases: typeof documentSummariesOfCases;
  documentFilesOfCase: typeof documentFilesOfCase;
  documentFilesByIds: typeof documentFilesByIds;
  /** The case if the actor may see it (refused otherwise), for the record's case routes. */
  visibleCase(actor: Actor, caseId: string): Promise<CaseRow>;
}
