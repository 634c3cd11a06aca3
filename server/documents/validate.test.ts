import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import { chineseDate, chineseNumber } from './engine.js';
import { DOCUMENT_KINDS } from './kinds.js';
import { validateTemplate } from './validate.js';
import { variablesOf } from './view.js';

const standard = (kind: string) => readFileSync(new URL(`../../templates/${kind}.hbs`, import.meta.url), 'utf8');

async function failure(source: string, kind: (typeof DOCUMENT_KINDS)[number] = 'review_opinion'): Promise<AppError> {
  try {
    await validateTemplate(kind, source);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the template was accepted');
}

describe('validateTemplate', () => {
  it.each(DOCUMENT_KINDS)('accepts the standard %s template', async (kind) => {
    expect((await validateTemplate(kind, standard(kind))).length).toBeGreaterThan(5);
  });

  it('rejects a misspelt variable with its line', async () => {
    const err = await failure('# 意见书\n[center]{{number}}\n当事人：{{case.pary}}\n');
    expect(err).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(err.message).toBe('模板错误：变量 case.pary 不存在（第 3 行）');
    expect(err.details).toMatchObject({ kind: 'review_opinion', problems: [{ line: 3 }] });
  });

  it('rejects a misspelt variable on a branch the sample data does not take, and inside {{#if}}', async () => {
    expect((await failure('# 标题\n{{#if suggestions}}\n有建议\n{{else}}\n{{sugestions}}\n{{/if}}')).message).toBe(
      '模板错误：变量 sugestions 不存在（第 5 行）',
    );
    expect((await failure('# 标题\n\n{{#if reviewr.name}}有{{/if}}')).message).toBe(
      '模板错误：变量 reviewr.name 不存在（第 3 行）',
    );
  });

  it('renders the opinion also as a 不同意 with its objection: a fault there is refused at upload', async () => {
    const table = await failure('# 标题\n{{#with objection}}\n| {{dueDate}} |\n| 甲 | 乙 |\n{{/with}}');
    expect(table.message).toContain('第 4 行');
    // The sample's objection is null, its resubmission not: a date written without its {{#with}} fails on one of them.
    for (const limit of ['objection', 'resubmission']) {
      const err = await failure(`# 标题\n期限：{{cnDate ${limit}.dueDate}}`);
      expect(err, limit).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('resolves names inside {{#each}} against the list items', async () => {
    await expect(
      validateTemplate('review_opinion', '# 标题\n{{#each points}}\n{{no}} {{name}} {{@index}}\n{{/each}}'),
    ).resolves.toBeTruthy();
    expect((await failure('# 标题\n{{#each points}}\n{{nmae}}\n{{/each}}')).message).toBe(
      '模板错误：变量 nmae 不存在（第 3 行）',
    );
    expect((await failure('# 标题\n{{#each reasons}}\n{{this}}\n{{/each}}')).message).toContain(
      '{{#each}} 需要一个列表',
    );
  });

  it('rejects an unclosed block, naming the block and the line it opens on', async () => {
    const err = await failure('# 标题\n{{#each points}}\n| {{name}} |\n\n正文');
    expect(err.message).toBe('模板错误：块 {{#each}} 没有结束标记 {{/each}}（第 2 行）');
  });

  it('rejects a block closed with the wrong name', async () => {
    expect((await failure('# 标题\n{{#if suggestions}}\n建议\n{{/each}}')).message).toBe(
      '模板错误：块 {{#if}} 的结束标记写成了 {{/each}}（第 2 行）',
    );
  });

  it('rejects an unknown helper and a block helper that does not exist', async () => {
    expect((await failure('# 标题\n{{cnDat issuedOn}}')).message).toMatch(
      /^模板错误：辅助函数 cnDat 不存在.*（第 2 行）$/,
    );
    expect((await failure('# 标题\n{{#eq conclusion "同意"}}是{{/eq}}')).message).toMatch(
      /块 \{\{#eq\}\} 不可用.*（第 2 行）/,
    );
    expect((await failure('# 标题\n{{> header}}')).message).toContain('不支持局部模板');
  });

  it('rejects bad markup with the template line that produced it', async () => {
    const err = await failure('# 标题\n正文\n[rigth]{{cnDate issuedOn}}');
    expect(err.message).toBe(
      '模板错误：未知的版式标记 [rigth]（可用：[right] [seal] [center] [left] [pagebreak]）（第 3 行）',
    );
  });

  it('rejects a table whose rows, as rendered, have different numbers of cells', async () => {
    const err = await failure(
      '# 标题\n| 序号 | 要点 |\n|---|---|\n{{#each points}}\n| {{no}} | {{name}} | {{finding}} |\n{{/each}}',
    );
    expect(err.message).toBe('模板错误：表格行有 3 列，与第 2 行的 2 列不一致（第 5 行）');
    expect(err.details).toMatchObject({ problems: [{ rendered: '| 1 | 执法主体合法 | 符合 |' }] });
  });

  it('rejects bad markup on a branch the sample data does not take', async () => {
    const err = await failure('# 标题\n{{#if suggestions}}\n正文\n{{else}}\n[rihgt]无\n{{/if}}');
    expect(err.message).toContain('未知的版式标记 [rihgt]');
    expect(err.message).toContain('（第 5 行）');
  });

  it('rejects Handlebars syntax errors with their line', async () => {
    expect((await failure('# 标题\n正文\n{{case.title\n')).message).toMatch(/^模板错误：语法错误.*（第 \d 行）$/);
    expect((await failure('')).message).toBe('模板错误：模板为空（第 1 行）');
  });

  it('passes values through as text: a party called "# | **x**" does not change the layout', async () => {
    await expect(validateTemplate('review_opinion', '# 标题\n| 当事人 | {{case.party}} |')).resolves.toBeTruthy();
  });
});

describe('template helpers', () => {
  it('writes dates and numbers the way Chinese documents do', async () => {
    expect(chineseDate('2026-01-05')).toBe('2026年1月5日');
    expect(chineseDate(new Date('2026-12-04T17:30:00Z'))).toBe('2026年12月5日');
    expect(() => chineseDate('2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect([1, 9, 10, 12, 20, 23].map(chineseNumber)).toEqual(['一', '九', '十', '十二', '二十', '二十三']);
  });

  it('lists every variable of a kind with a description', async () => {
    const names = variablesOf('review_opinion').map((v) => v.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'number',
        'department.name',
        'issuedOn',
        'case.party',
        'points[].name',
        'points[].finding',
        'reviewer.kind',
      ]),
    );
    for (const kind of DOCUMENT_KINDS) for (const v of variablesOf(kind)) expect(v.description, v.name).not.toBe('');
  });

  it('documents every variable in templates/README.md', async () => {
    const readme = readFileSync(new URL('../../templates/README.md', import.meta.url), 'utf8');
    for (const kind of DOCUMENT_KINDS) {
      for (const v of variablesOf(kind)) expect(readme, `${kind}: ${v.name}`).toContain(`\`${v.name}\``);
    }
  });
});
