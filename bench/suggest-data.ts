/**
 * Decided cases for bench/suggest: violations of the kinds a city's agencies decide every day, each with the
 * articles it cites, a statement of facts varied in goods, places, quantities and circumstances, and a fine within
 * the violation's usual range. Deterministic (a seeded generator), so two runs measure the same data.
 */
export interface Violation {
  title: string;
  basis: { law: string; article: string }[];
  facts: string;
  fine: [number, number];
}

/** State Council regulations named without 中华人民共和国. */
const UNPREFIXED = new Set(['公路安全保护条例', '城市道路管理条例']);

export const VIOLATIONS: Violation[] = [
  v('销售不合格产品', '产品质量法', ['第五十条'], '在{goods}中掺杂掺假，以不合格产品冒充合格产品销售', [5e3, 2e5]),
  v(
    '销售不符合安全标准的产品',
    '产品质量法',
    ['第四十九条'],
    '销售不符合保障人体健康和人身、财产安全的国家标准的{goods}',
    [1e4, 3e5],
  ),
  v('销售失效变质产品', '产品质量法', ['第五十二条'], '销售国家明令淘汰并停止销售的及失效、变质的{goods}', [3e3, 1e5]),
  v('伪造产地', '产品质量法', ['第五十三条'], '伪造{goods}的产地，伪造他人的厂名、厂址', [5e3, 1e5]),
  v('经营超过保质期的食品', '食品安全法', ['第一百二十四条'], '经营超过保质期的{food}，并放置在货架上待售', [5e4, 3e5]),
  v(
    '经营标签不符合规定的食品',
    '食品安全法',
    ['第一百二十五条'],
    '经营的{food}标签、说明书不符合食品安全法的规定',
    [5e3, 5e4],
  ),
  v(
    '未取得食品经营许可从事经营',
    '食品安全法',
    ['第一百二十二条'],
    '未取得食品经营许可在{place}从事{food}经营活动',
    [5e4, 2e5],
  ),
  v(
    '未按规定查验进货凭证',
    '食品安全法',
    ['第一百二十六条'],
    '采购{food}未按规定查验供货者的许可证和食品出厂检验合格证',
    [5e3, 5e4],
  ),
  v(
    '超标排放大气污染物',
    '大气污染防治法',
    ['第九十九条'],
    '{company}的{equipment}超过大气污染物排放标准排放大气污染物',
    [1e5, 1e6],
  ),
  v('未批先建', '环境影响评价法', ['第三十一条'], '建设项目环境影响报告表未经批准，擅自开工建设{project}', [5e4, 5e5]),
  v(
    '私设暗管排放水污染物',
    '水污染防治法',
    ['第八十三条'],
    '通过私设暗管逃避监管的方式向{river}排放水污染物',
    [2e5, 1e6],
  ),
  v(
    '未按规定贮存危险废物',
    '固体废物污染环境防治法',
    ['第一百一十二条'],
    '未按照国家有关规定贮存{waste}等危险废物',
    [1e5, 1e6],
  ),
  v(
    '未建立安全生产责任制',
    '安全生产法',
    ['第九十七条'],
    '未建立健全全员安全生产责任制，{company}未对从业人员进行安全生产教育和培训',
    [1e4, 1e5],
  ),
  v(
    '未设置安全警示标志',
    '安全生产法',
    ['第九十九条'],
    '未在{equipment}等有较大危险因素的场所设置明显的安全警示标志',
    [1e4, 2e5],
  ),
  v('特种作业人员无证上岗', '安全生产法', ['第九十七条'], '安排未取得特种作业操作证的人员从事{work}作业', [1e4, 1e5]),
  v(
    '未取得道路运输经营许可',
    '道路运输条例',
    ['第六十三条'],
    '未取得道路运输经营许可，擅自使用{vehicle}从事道路货物运输经营',
    [3e4, 1e5],
  ),
  v('超限运输', '公路安全保护条例', ['第六十四条'], '驾驶{vehicle}在公路上超限运输，车货总重超过限定标准', [1e3, 3e4]),
  v('违法建设', '城乡规划法', ['第六十四条'], '未取得建设工程规划许可证在{place}擅自建设{project}', [1e4, 5e5]),
  v('擅自占用城市道路', '城市道路管理条例', ['第四十二条'], '未经批准擅自占用{place}的城市道路堆放{goods}', [500, 2e4]),
  v('发布虚假广告', '广告法', ['第五十五条'], '在{media}发布{goods}虚假广告，欺骗、误导消费者', [2e4, 1e6]),
  v('价格欺诈', '价格法', ['第四十条'], '销售{goods}时利用虚假的或者使人误解的价格手段诱骗消费者', [5e3, 5e5]),
  v('消防设施不符合标准', '消防法', ['第六十条'], '{place}的消防设施、器材未保持完好有效，{equipment}损坏', [5e3, 5e4]),
  v('销售假药', '药品管理法', ['第一百一十六条'], '销售假药{drug}，货值金额较大', [1.5e5, 2e6]),
  v('未按规定使用计量器具', '计量法', ['第二十七条'], '使用未经检定的{equipment}进行贸易结算', [1e3, 2e4]),
];

function v(title: string, law: string, articles: string[], facts: string, fine: [number, number]): Violation {
  const name = UNPREFIXED.has(law) ? law : `中华人民共和国${law}`;
  return { title, basis: articles.map((article) => ({ law: `《${name}》`, article })), facts, fine };
}

const WORDS: Record<string, string[]> = {
  goods: ['电热水壶', '插座', '电线电缆', '儿童玩具', '建筑用钢筋', '化肥', '电动自行车', '燃气灶具', '服装', '家具'],
  food: ['预包装食品', '乳制品', '肉制品', '食用油', '糕点', '饮料', '调味品', '冷冻食品'],
  place: ['亭湖区人民路', '盐都区开放大道', '大丰区幸福路', '东台市望海路', '建湖县秀夫路', '射阳县解放路'],
  company: ['当事人', '该公司', '该企业'],
  equipment: ['锅炉', '涂装生产线', '配电房', '电子秤', '燃气管道', '喷淋系统', '加油机'],
  project: ['厂房', '住宅', '仓库', '门面房'],
  river: ['新洋港', '串场河', '通榆河', '蟒蛇河'],
  waste: ['废矿物油', '废酸', '废活性炭', '含油抹布'],
  work: ['电工', '焊接与热切割', '高处'],
  vehicle: ['重型半挂牵引车', '中型厢式货车', '重型自卸货车'],
  media: ['微信公众号', '户外广告牌', '本地电视台', '网店页面'],
  drug: ['降压药', '感冒药', '消炎药'],
};

const EXTRAS = [
  '当事人对违法事实供认不讳',
  '当事人积极配合调查',
  '案发后当事人主动停止违法行为',
  '执法人员现场检查时发现',
  '经群众举报',
  '经抽样检验',
  '当事人拒不提供相关资料',
  '违法行为持续时间较长',
];

/** A small seeded generator (mulberry32): the same seed, the same cases. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: T[]) => xs[Math.floor(r() * xs.length)];

export interface GeneratedCase {
  violation: Violation;
  title: string;
  facts: string;
  fine: number;
}

export function generateCase(r: () => number): GeneratedCase {
  const violation = pick(r, VIOLATIONS);
  const body = violation.facts.replace(/\{(\w+)\}/g, (_m, k: string) => pick(r, WORDS[k]));
  const amount = Math.round((1 + r() * 50) * 1000);
  const facts = `经查，${pick(r, EXTRAS)}，${body}，货值金额${amount}元，${pick(r, EXTRAS)}。`;
  const [lo, hi] = violation.fine;
  const fine = Math.round((lo + r() * (hi - lo)) / 100) * 100;
  return { violation, title: violation.title, facts, fine };
}
