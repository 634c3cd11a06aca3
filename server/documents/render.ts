import { Compile } from 'typebox/compile';
import { AppError } from '../http/errors.js';
import { blocksToDocx, titleOf } from './docx.js';
import { type Renderer, templateProblem } from './engine.js';
import {
  type CommonFields,
  DOCUMENT_KINDS,
  type DocumentDataByKind,
  type DocumentKind,
  KINDS,
  REQUIRED_POINT_KEYS,
  REVIEW_POINTS,
} from './kinds.js';
import { parseMarkup } from './markup.js';
import type { SealImage } from './seal/drawing.js';
import { buildView } from './view.js';

const validators = Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, Compile(KINDS[k].schema)])) as Record<
  DocumentKind,
  ReturnType<typeof Compile>
>;

const invalid = (message: string, details?: unknown) => new AppError(400, 'VALIDATION_FAILED', message, details);

/**
 * The points of an opinion: each once, the nine every opinion answers among them, and a point of the
 * department's own with the name it was answered under.
 */
function reviewPointProblems(points: DocumentDataByKind['review_opinion']['points']) {
  const keys = points.map((p) => p.key);
  const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (twice.length) throw invalid(`审核要点重复：${[...new Set(twice)].join('、')}（每项只能有一次结果）`, { twice });
  const missing = REQUIRED_POINT_KEYS.filter((k) => !keys.includes(k)).map(
    (k) => REVIEW_POINTS.find((p) => p.key === k)?.name ?? k,
  );
  if (missing.length) throw invalid(`审核要点缺失：${missing.join('、')}（九项必备要点每项须有一次结果）`, { missing });
  const known = new Set<string>(REVIEW_POINTS.map((p) => p.key));
  const unnamed = points.filter((p) => !known.has(p.key) && !p.name?.trim()).map((p) => p.key);
  if (unnamed.length) throw invalid(`本机关自设的审核要点须写明名称：${unnamed.join('、')}`, { unnamed });
}

/** Checks a caller's data for a kind: its shape, and the rules a schema cannot say. */
export function assertDocumentData<K extends DocumentKind>(
  kind: K,
  data: unknown,
): asserts data is DocumentDataByKind[K] {
  const validator = validators[kind];
  if (!validator.Check(data)) {
    const problems = [...validator.Errors(data)].map((e) => ({ path: e.instancePath || '/', message: e.message }));
    throw invalid(`${KINDS[kind].name}的数据不完整或不合法：${problems[0]?.path} ${problems[0]?.message}`, {
      kind,
      problems,
    });
  }
  if (kind === 'review_opinion') reviewPointProblems((data as DocumentDataByKind['review_opinion']).points);
  if (kind === 'chief_decision') {
    const d = data as DocumentDataByKind['chief_decision'];
    if ((d.departsFromReview || d.departsFromProposal) && !d.overrideReasons?.trim()) {
      throw invalid('负责人决定与法制审核意见或承办机构意见不一致的，必须书面说明理由');
    }
  }
}

/**
 * Renders a kind's document: template → markup → .docx bytes. A template that passed validation can still fail
 * on real data (a branch the sample did not take); that is reported like a validation error, for the legal unit.
 * With the issuing department's seal, the template's `[seal]` line carries it.
 */
export async function renderDocx<K extends DocumentKind>(
  renderer: Renderer,
  kind: K,
  source: string,
  common: CommonFields,
  data: DocumentDataByKind[K],
  opts: { seal?: SealImage } = {},
): Promise<Buffer> {
  let markup: string;
  try {
    markup = await renderer.render(source, buildView(kind, common, data));
  } catch (err) {
    const p = templateProblem(err);
    const where = p.line ? `（第 ${p.line} 行）` : '';
    if (p.overBudget) {
      throw new AppError(
        422,
        'TEMPLATE_OVER_BUDGET',
        `模板过于复杂：${p.message}${where}，请法制机构管理员修改${KINDS[kind].name}模板`,
        {
          kind,
          problems: [p],
        },
      );
    }
    throw invalid(`模板错误：${p.message}${where}，请法制机构管理员修改${KINDS[kind].name}模板`, {
      kind,
      problems: [p],
    });
  }
  const { blocks, errors } = parseMarkup(markup);
  if (errors.length > 0) {
    throw invalid(
      `模板错误：${errors[0].message}（输出第 ${errors[0].line} 行），请法制机构管理员修改${KINDS[kind].name}模板`,
      {
        kind,
        problems: errors,
      },
    );
  }
  return blocksToDocx(blocks, { title: titleOf(blocks) || KINDS[kind].name, subject: common.number, seal: opts.seal });
}
