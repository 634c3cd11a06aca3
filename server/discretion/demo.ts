import type { Database } from '../database/connect.js';
import * as identity from '../identity/directory.js';
import { readBenchmarkCsv } from './csv-import.js';
import * as q from './queries.js';

const EXEMPT = '初次违法且危害后果轻微并及时改正（《中华人民共和国行政处罚法》第三十三条第一款）';
const V49 =
  'SC-049,生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品,中华人民共和国产品质量法,第四十九条';
const V50 = 'SC-050,以不合格产品冒充合格产品,中华人民共和国产品质量法,第五十条';
const V42 = 'JG-042,违反明码标价规定,中华人民共和国价格法,第四十二条';
const V39 = 'JG-039,不执行政府指导价、政府定价,中华人民共和国价格法,第三十九条';

/**
 * The demo 市市场监督管理局's 裁量基准, in the import format: the violations of its demo cases (不合格产品,
 * 明码标价) and one range of each kind (元, 货值金额倍数, 违法所得倍数, 不予处罚), within the statutory ranges.
 */
export const DEMO_CSV = [
  '编码,违法行为,法律法规,条款,情节,幅度类型,下限,上限,说明',
  `${V49},减轻,货值金额倍数,0.3,1,具有《行政处罚法》第三十二条规定的减轻情节`,
  `${V49},从轻,货值金额倍数,1,1.6,`,
  `${V49},一般,货值金额倍数,1.6,2.4,`,
  `${V49},从重,货值金额倍数,2.4,3,`,
  `${V50},从轻,货值金额倍数,0.5,1.2,`,
  `${V50},一般,货值金额倍数,1.2,2.2,`,
  `${V50},从重,货值金额倍数,2.2,3,`,
  `${V42},不予处罚,不予处罚,,,${EXEMPT}`,
  `${V42},从轻,罚款金额（元）,0,1500,`,
  `${V42},一般,罚款金额（元）,1500,3500,`,
  `${V42},从重,罚款金额（元）,3500,5000,`,
  `${V39},从轻,违法所得倍数,0,1.5,`,
  `${V39},一般,违法所得倍数,1.5,3.5,`,
  `${V39},从重,违法所得倍数,3.5,5,`,
].join('\n');

/** Loads the demo benchmark for SCJG (by its legal admin), unless the department already keeps one. */
export async function loadDemoBenchmark(db: Database): Promise<number> {
  const dept = await identity.findDepartmentByCode(db, 'SCJG');
  const admin = await identity.findUserForLogin(db, 'legaladmin1');
  if (!dept || !admin || (await q.itemCodes(db, dept.id)).length) return 0;
  const items = readBenchmarkCsv(DEMO_CSV);
  const at = new Date();
  await db.transaction().execute(async (trx) => {
    for (const [i, item] of items.entries()) {
      await q.saveItem(trx, dept.id, { ...item, sortOrder: (i + 1) * 10 }, { at, by: admin.id });
    }
    await q.recordChange(trx, {
      departmentId: dept.id,
      itemId: null,
      code: null,
      action: 'imported',
      summary: `导入 ${items.length} 项（演示数据）`,
      actorId: admin.id,
      at,
    });
  });
  return items.length;
}
