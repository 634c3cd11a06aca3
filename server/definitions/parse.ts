import BpmnModdle, { type ParseResult, type ParseWarning } from 'bpmn-moddle';
import { describe, type Issue, issue, issueAt, localType } from '../../workflows/lint/issues.js';
import { moddleOptions } from '../../workflows/schema.js';
import { refuse } from './refuse.js';

export type ModdleContext = ParseResult;

interface SaxPosition {
  detail: string;
  tag: string | null;
  where: string;
}

// moddle-xml reports problems as English text: "unparsable content <tag> detected\n\tline: 0\n\tcolumn: 12\n\t
// nested error: duplicate ID <x>". The pieces are pulled out so the Chinese message can name the element.
function readSaxMessage(message: string): SaxPosition {
  const tag = /unparsable content <([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)[\s/>]/.exec(message)?.[1] ?? null;
  const line = /line: (\d+)/.exec(message)?.[1];
  const column = /column: (\d+)/.exec(message)?.[1];
  const detail = /nested error: ([^\n]+)/.exec(message)?.[1] ?? message.split('\n')[0];
  const where =
    line !== undefined && column !== undefined ? `（第 ${Number(line) + 1} 行，第 ${Number(column) + 1} 列）` : '';
  return { detail, tag, where };
}

function bracketed(text: string): string | null {
  return /<([^>]*)>/.exec(text)?.[1] ?? null;
}

function warningIssue(warning: ParseWarning): Issue {
  const { detail, tag, where } = readSaxMessage(warning.message);
  const tagType = tag ? localType(tag) : null;
  const named = bracketed(detail);
  if (detail.startsWith('duplicate ID')) {
    return issue('BPMN_INVALID', `重复的元素 id：${tagType ?? '元素'}（id=${named}）${where}`, named, tagType);
  }
  if (detail.startsWith('unrecognized element') || detail.startsWith('unknown type')) {
    return issue('BPMN_INVALID', `无法识别的元素 ${tagType ?? named}${where}`, null, tagType ?? named);
  }
  if (warning.element && warning.message.startsWith('unknown attribute')) {
    return issueAt('BPMN_INVALID', warning.element, `${describe(warning.element)}含有未知属性 ${named}`);
  }
  if (warning.element && warning.message.startsWith('unresolved reference')) {
    return issueAt('BPMN_INVALID', warning.element, `${describe(warning.element)}引用了不存在的元素 ${named}`);
  }
  if (warning.element) {
    return issueAt('BPMN_INVALID', warning.element, `${describe(warning.element)}解析警告：${detail}${where}`);
  }
  return issue('BPMN_INVALID', `BPMN 解析警告：${detail}${where}`, null, tagType);
}

/**
 * Parses BPMN XML with bpmn-moddle and our extension. Malformed XML, a root other than bpmn:definitions and
 * every parser warning (duplicate ids, unknown elements or attributes, dangling references) are refusals.
 */
export async function parseBpmn(xml: string): Promise<ModdleContext> {
  const moddle = new BpmnModdle(moddleOptions);
  let context: ModdleContext;
  try {
    context = await moddle.fromXML(xml, 'bpmn:Definitions');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message.startsWith('failed to parse document as')) {
      refuse([
        issue('BPMN_INVALID', '不是 BPMN 文档：根元素必须是 BPMN 2.0 命名空间中的 definitions', null, 'definitions'),
      ]);
    }
    const { detail, tag, where } = readSaxMessage(message);
    refuse([issue('BPMN_INVALID', `XML 格式错误：${detail}${where}`, null, tag ? localType(tag) : null)]);
  }
  if (context.warnings.length > 0) refuse(context.warnings.map(warningIssue));
  return context;
}
