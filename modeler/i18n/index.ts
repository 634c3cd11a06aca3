import { zhCN } from './zh-CN.js';

/** bpmn-js's translate service: Simplified Chinese with the English text as fallback, `{name}` filled in. */
export function translate(template: string, replacements: Record<string, string | number> = {}): string {
  const text = zhCN[template] ?? template;
  return text.replace(/{([^}]+)}/g, (whole, key: string) =>
    Object.hasOwn(replacements, key) ? String(replacements[key]) : whole,
  );
}

export default { translate: ['value', translate] };
