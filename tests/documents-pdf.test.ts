import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS, type DocumentKind } from '../server/documents/kinds.js';
import { renderDocx } from '../server/documents/render.js';
import { sampleCommonOf, sampleDataOf } from '../server/documents/samples.js';
import { createTemplateSource } from '../server/documents/template-source.js';

function has(command: string): boolean {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const tools = has('soffice') && has('pdftotext');

const KEY_STRINGS: Record<DocumentKind, string[]> = {
  review_opinion: [
    '重大执法决定法制审核意见书',
    '市监法审〔2026〕12号',
    '执法主体合法',
    '裁量基准运用适当', // the law's wording, also when the caller names no point
    '涉嫌犯罪移送',
    '修改后同意',
    '2026年11月25日',
    '请你单位按照本审核意见修改补正后，于2026年12月2日前再次报送审核。',
  ],
  correction_notice: [
    '补正材料通知书',
    '市监补正〔2026〕12号',
    '检验机构资质认定证书',
    '2026年12月2日',
    '逾期未补正的，视为撤回送审。',
  ],
  coordination_record: [
    '法制审核协调意见',
    '市监协调〔2026〕12号',
    '承办机构（执法稽查局）意见',
    '法制审核机构（法规处）意见',
    '承办机构负责人张华已于',
    '陈静',
  ],
  chief_decision: ['负责人决定记录', '市监决定〔2026〕12号', '未采纳', '不采纳的理由', '刘建国'],
  supervision_opinion: ['行政执法监督意见书', '市监执监意〔2026〕12号', '十五个工作日内', '2026年12月16日', '周卫东'],
  rectification_notice: ['行政执法监督纠正通知书', '市监执监纠〔2026〕12号', '第五十八条', '2026年12月9日'],
  transfer_notice: [
    '涉嫌犯罪案件移送书',
    '市监移送〔2026〕12号',
    '盐城市公安局亭湖分局：',
    '抄送：盐城市亭湖区人民检察院',
    '涉案物品清单',
    '2026年11月25日批准',
    '王强、赵敏组成的专案组',
    '移送书回执',
  ],
  collective_record: [
    '重大执法决定集体讨论记录',
    '市监集讨〔2026〕12号',
    '吴敏',
    '不同意',
    '建议从轻处罚',
    '主持人：刘建国',
  ],
  penalty_notice: [
    '行政处罚事先告知书',
    '市监罚告〔2026〕12号',
    '盐城某食品有限公司：',
    '超过保质期的预包装食品',
    '《中华人民共和国食品安全法》第一百二十四条第一款',
    '没收违法所得380元，并处罚款五万元。',
    '五个工作日内（截至2026年12月2日）',
    '有权要求听证',
  ],
  hearing_notice: [
    '听证通知书',
    '市监听通〔2026〕12号',
    '2026年12月10日09:30',
    '本局三楼听证室',
    '陈静主持',
    '并处罚款五万元）提出听证要求', // the quoted proposal loses its full stop inside the brackets
    '有权申请回避',
    '委托一至二人代理',
  ],
  service_receipt: [
    '送达回证',
    '市监送回〔2026〕12号',
    '行政处罚决定书',
    '盐市监罚〔2026〕88',
    '直接送达',
    '2026年11月25日',
    '张华（当事人法定代表人）',
  ],
};

describe('the documents as Word opens them', () => {
  it.skipIf(!tools)(
    'converts every kind to a PDF that reads the key Chinese text (needs soffice and pdftotext)',
    async () => {
      const templates = await createTemplateSource();
      const dir = mkdtempSync(path.join(tmpdir(), 'fashen-docs-'));
      try {
        const files = [];
        for (const kind of DOCUMENT_KINDS) {
          const bytes = await renderDocx(
            templates.engine,
            kind,
            templates.standard(kind),
            sampleCommonOf(kind),
            sampleDataOf(kind),
          );
          const file = path.join(dir, `${kind}.docx`);
          writeFileSync(file, bytes);
          files.push(file);
        }
        // A profile of its own, so a LibreOffice already running (or another test) does not take the conversion.
        const profile = pathToFileURL(path.join(dir, 'profile')).href;
        execFileSync(
          'soffice',
          [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...files],
          {
            stdio: 'ignore',
            timeout: 120_000,
          },
        );
        for (const kind of DOCUMENT_KINDS) {
          execFileSync('pdftotext', ['-layout', path.join(dir, `${kind}.pdf`), path.join(dir, `${kind}.txt`)]);
          // Justified CJK lines may carry spaces between characters; compare without them.
          const text = readFileSync(path.join(dir, `${kind}.txt`), 'utf8').replace(/\s+/g, '');
          for (const s of KEY_STRINGS[kind]) expect(text, `${kind}: ${s}`).toContain(s);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
