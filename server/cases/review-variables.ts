import type { CatalogueItem } from '../catalogue/vocabulary.js';
import type { Packet } from './tables.js';

/**
 * The variables a department's review flow starts with for a case: its identity, whether review is mandatory,
 * and what the governing catalogue item sets (time limit, required materials, 集体讨论). Used at submission and
 * when a case submitted without review is sent to review later (a hearing made it mandatory).
 */
export function reviewVariables(caseId: string, packet: Packet, item: CatalogueItem | null, mandatory = true) {
  return {
    caseId,
    caseNumber: packet.caseNumber,
    caseTitle: packet.title,
    category: packet.category,
    mandatory,
    catalogueCode: item?.code ?? null,
    // The item's 审核时限; a case under no item takes the review step's own (fashen:deadlineWorkingDays).
    reviewWorkingDays: item?.reviewWorkingDays ?? null,
    requiredMaterials: (item?.materials ?? []).filter((m) => m.required).map((m) => m.name),
    collectiveDiscussion: item?.collectiveDiscussion === true,
  };
}
