import { checkCatalogues } from '../catalogue.js';
import type { RuleFactory } from '../types.js';
import { reportIssues } from '../types.js';
import { allElements } from '../walk.js';

const MAX_NESTING = 40;

/**
 * The catalogue (目录清单) is complete: each item has a code, category, name, review time limit, materials and a
 * FEEL condition over the case facts only.
 */
const catalogueComplete: RuleFactory = () => ({
  meta: {
    deployCheck: true,
    documentation: { description: '目录清单事项须完整：编号、类别、名称、适用条件（FEEL）、审核时限、送审材料' },
  },
  check(node, reporter) {
    if (node.$type !== 'bpmn:Definitions') return undefined;
    reportIssues(reporter, checkCatalogues(allElements(node, MAX_NESTING).elements), node.id);
    return undefined;
  },
});

export default catalogueComplete;
