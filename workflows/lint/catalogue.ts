import type { BaseElement } from 'bpmn-moddle';
import { type ConditionBudget, checkCatalogueCondition } from './catalogue-conditions.js';
import { describe, type Issue, issueAt } from './issues.js';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  type CatalogueItem,
  isCategory,
  MAX_REVIEW_WORKING_DAYS,
  MIN_REVIEW_WORKING_DAYS,
} from './vocabulary.js';
import { childOf, childrenOf, stringOf } from './walk.js';

export type { CatalogueItem } from './vocabulary.js';

// A real catalogue has a few dozen items; the cap keeps a hostile upload's condition parsing bounded.
export const MAX_CATALOGUE_ITEMS = 100;

/** The `fashen:catalogue` elements among an element's extension elements. */
export function cataloguesOf(element: BaseElement): BaseElement[] {
  const extensions = childOf(element, 'extensionElements');
  return extensions ? childrenOf(extensions, 'values').filter((v) => v.$type === 'fashen:Catalogue') : [];
}

const trimmed = (element: BaseElement, property: string) => stringOf(element, property)?.trim() ?? '';

function workingDaysOf(item: BaseElement): number | null {
  const text = trimmed(item, 'reviewWorkingDays');
  if (!/^\d{1,3}$/.test(text)) return null;
  const days = Number(text);
  return days >= MIN_REVIEW_WORKING_DAYS && days <= MAX_REVIEW_WORKING_DAYS ? days : null;
}

/** `required` is "true" or "false" (absent means false); anything else is null. */
function requiredOf(material: BaseElement): boolean | null {
  const text = stringOf(material, 'required')?.trim();
  if (text === undefined || text === 'false') return false;
  return text === 'true' ? true : null;
}

/** The catalogue of a process in document order, assuming the definition passed validation; empty if it has none. */
export function readCatalogue(process: BaseElement): CatalogueItem[] {
  const catalogue = cataloguesOf(process)[0];
  if (!catalogue) return [];
  return childrenOf(catalogue, 'items').map((item) => {
    const category = trimmed(item, 'category');
    const bases = basesOf(item);
    if (!isCategory(category)) throw new Error(`catalogue item ${trimmed(item, 'code')} has category ${category}`);
    return {
      code: trimmed(item, 'code'),
      category,
      categoryLabel: CATEGORY_LABELS[category],
      name: trimmed(item, 'name'),
      condition: trimmed(item, 'condition'),
      basis: trimmed(item, 'basis') || bases.map(basisText).join('；') || null,
      reviewWorkingDays: workingDaysOf(item) ?? MAX_REVIEW_WORKING_DAYS,
      materials: childrenOf(item, 'materials').map((m) => ({
        name: trimmed(m, 'name'),
        required: requiredOf(m) === true,
      })),
      ...(trimmed(item, 'collectiveDiscussion') === 'true' ? { collectiveDiscussion: true as const } : {}),
      ...(bases.length > 0 && { bases }),
    };
  });
}

/** The structured legal bases of an item (fashen:basis), in document order. */
function basesOf(item: BaseElement) {
  return childrenOf(item, 'bases').map((b) => ({ law: trimmed(b, 'law'), article: trimmed(b, 'article') }));
}

/** `《产品质量法》第四十九条`, whether or not the law was written with its book-title marks. */
export const basisText = (b: { law: string; article: string }) => `《${b.law.replace(/^《|》$/g, '')}》${b.article}`;

function materialProblems(item: BaseElement): string[] {
  const materials = childrenOf(item, 'materials');
  if (materials.length === 0) return ['至少须列出一项送审材料（fashen:material）'];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const material of materials) {
    const name = trimmed(material, 'name');
    if (name === '') problems.push('有送审材料缺少名称');
    else if (seen.has(name)) problems.push(`送审材料“${name}”重复`);
    seen.add(name);
    if (requiredOf(material) === null) {
      problems.push(`送审材料“${name}”的 required 只能为 true 或 false`);
    }
  }
  return problems;
}

function itemProblems(item: BaseElement, codes: Set<string>): string[] {
  const problems: string[] = [];
  const code = trimmed(item, 'code');
  if (code === '') problems.push('缺少编号（code）');
  else if (codes.has(code)) problems.push('的编号（code）与前面的事项重复');
  codes.add(code);
  const category = trimmed(item, 'category');
  if (category === '') problems.push(`缺少类别（category，可用：${CATEGORIES.join('、')}）`);
  else if (!isCategory(category)) problems.push(`的类别“${category}”无效（可用：${CATEGORIES.join('、')}）`);
  if (trimmed(item, 'name') === '') problems.push('缺少名称（name）');
  if (workingDaysOf(item) === null) {
    const given = stringOf(item, 'reviewWorkingDays');
    const range = `${MIN_REVIEW_WORKING_DAYS} 到 ${MAX_REVIEW_WORKING_DAYS} 之间的整数`;
    problems.push(
      given === undefined
        ? `缺少审核时限（reviewWorkingDays，工作日，${range}）`
        : `的审核时限 reviewWorkingDays“${given}”无效（须为 ${range}）`,
    );
  }
  problems.push(...materialProblems(item).map((p) => `：${p}`));
  const collective = stringOf(item, 'collectiveDiscussion')?.trim();
  if (collective !== undefined && collective !== 'true' && collective !== 'false') {
    problems.push(`的集体讨论标记 collectiveDiscussion“${collective}”只能为 true 或 false`);
  }
  for (const b of basesOf(item)) {
    if (b.law === '') problems.push('：有法律依据（fashen:basis）缺少法律法规名称（law）');
    else if (b.article === '')
      problems.push(`：法律依据《${b.law.replace(/^《|》$/g, '')}》缺少条款（article，如 第四十九条）`);
  }
  return problems;
}

/** How messages name an item: by its code, or by its position when it has none. */
function itemLabel(item: BaseElement, index: number): string {
  const code = trimmed(item, 'code');
  return code === '' ? `目录清单第 ${index + 1} 项（未设编号）` : `目录清单事项“${code}”`;
}

function checkOneCatalogue(process: BaseElement, catalogue: BaseElement, budget: ConditionBudget): Issue[] {
  const items = childrenOf(catalogue, 'items');
  if (items.length === 0) {
    return [issueAt('BPMN_INVALID', catalogue, `${describe(process)}的目录清单中没有事项（fashen:catalogueItem）`)];
  }
  if (items.length > MAX_CATALOGUE_ITEMS) {
    const message = `${describe(process)}的目录清单事项过多：${items.length} 项（最多 ${MAX_CATALOGUE_ITEMS} 项）`;
    return [issueAt('BPMN_INVALID', catalogue, message)];
  }
  const issues: Issue[] = [];
  const codes = new Set<string>();
  items.forEach((item, index) => {
    const label = itemLabel(item, index);
    for (const problem of itemProblems(item, codes)) issues.push(issueAt('BPMN_INVALID', item, `${label}${problem}`));
    const condition = checkCatalogueCondition(stringOf(item, 'condition'), budget);
    if (condition) issues.push(issueAt(condition.code, item, `${label}${condition.problem}`));
  });
  return issues;
}

function misplaced(element: BaseElement, expectedParent: string, what: string): Issue[] {
  const parent = element.$parent;
  const placedWell =
    expectedParent === 'bpmn:Process'
      ? parent?.$type === 'bpmn:ExtensionElements' && parent.$parent?.$type === 'bpmn:Process'
      : parent?.$type === expectedParent;
  return placedWell ? [] : [issueAt('BPMN_UNSUPPORTED', element, `${describe(element)}的位置不对：${what}`)];
}

/**
 * Checks every catalogue (目录清单) in the document: only in the extension elements of the executable process,
 * one at most, and each item complete — code, category, name, review time limit, materials and a FEEL condition
 * over the case facts only. Messages name the item by its code.
 */
export function checkCatalogues(elements: readonly BaseElement[]): Issue[] {
  const issues: Issue[] = [];
  const budget: ConditionBudget = { chars: 0 };
  for (const element of elements) {
    if (element.$type === 'fashen:Catalogue') {
      issues.push(...misplaced(element, 'bpmn:Process', '目录清单（fashen:catalogue）只能定义在 process 的扩展元素中'));
    } else if (element.$type === 'fashen:CatalogueItem') {
      issues.push(...misplaced(element, 'fashen:Catalogue', '目录清单事项只能位于 fashen:catalogue 中'));
    } else if (element.$type === 'fashen:Material') {
      issues.push(...misplaced(element, 'fashen:CatalogueItem', '送审材料只能位于 fashen:catalogueItem 中'));
    } else if (element.$type === 'fashen:Basis') {
      issues.push(
        ...misplaced(element, 'fashen:CatalogueItem', '法律依据（fashen:basis）只能位于 fashen:catalogueItem 中'),
      );
    }
    if (element.$type !== 'bpmn:Process') continue;
    const catalogues = cataloguesOf(element);
    if (catalogues.length === 0) continue;
    if (element.isExecutable !== true) {
      issues.push(issueAt('BPMN_INVALID', element, `${describe(element)}不是可执行流程，不能定义目录清单`));
    } else if (catalogues.length > 1) {
      issues.push(issueAt('BPMN_INVALID', element, `${describe(element)}定义了多个目录清单（fashen:catalogue）`));
    } else {
      issues.push(...checkOneCatalogue(element, catalogues[0], budget));
    }
  }
  return issues;
}
