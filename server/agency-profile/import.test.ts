import { describe, expect, it } from 'vitest';
import { readSectionCsv } from './import.js';
import { GUIDES_IMPORT, headerLine, IMPORT_SPECS, INSPECTION_IMPORT, POWERS_IMPORT } from './import-specs.js';

describe('the import descriptions', () => {
  it('keep the powers header and build the others from the field labels', () => {
    expect(headerLine(POWERS_IMPORT)).toBe('编码,名称,类别,依据,实施主体');
    expect(headerLine(INSPECTION_IMPORT)).toBe('抽查事项,检查对象,检查方式,检查依据,检查主体,抽查比例和频次');
    expect(headerLine(GUIDES_IMPORT)).toBe(
      '指南名称,适用事项,申请材料,办理流程,办理时限,收费标准,办理地点和时间,咨询电话',
    );
  });

  it('let only optional trailing columns be left out, and match by code, item name and guide title', () => {
    expect([POWERS_IMPORT, INSPECTION_IMPORT, GUIDES_IMPORT].map((s) => [s.minColumns, s.keyHeader])).toEqual([
      [4, '编码'],
      [6, '抽查事项'],
      [4, '指南名称'],
    ]);
  });

  it('show examples on the import page that import as they are', () => {
    for (const spec of Object.values(IMPORT_SPECS)) {
      const rows = readSectionCsv(spec, [headerLine(spec), ...spec.example].join('\n'));
      expect(rows).toHaveLength(2);
    }
    const [, second] = readSectionCsv(
      INSPECTION_IMPORT,
      [headerLine(INSPECTION_IMPORT), ...INSPECTION_IMPORT.example].join('\n'),
    );
    expect(second).toMatchObject({ line: 3, key: '食品经营者落实主体责任情况检查' });
    expect(second.values.objects).toBe('辖区内持证食品经营者\n网络食品交易第三方平台');
  });
});
