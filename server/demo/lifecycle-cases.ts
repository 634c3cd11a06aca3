/**
 * The demo cases that show the whole procedure around the review (立案 to 结案归档), each stopped at a different
 * stage. Dates before the review are days before today (the officer records them after the fact); the review,
 * the 告知 and everything after it happen on the day the demo is loaded.
 */
export type DemoPath =
  /** 立案 → 调查取证 (recorded) → 法制审核 → 事先告知 (rights waived) → 决定 → 送达 (receipt) → 执行 → 结案归档. */
  | 'archived'
  /** … → 法制审核 → 事先告知 → 听证 requested and notified; the decision waits for the hearing. */
  | 'hearing'
  /** … → 法制审核 → 集体讨论 (a dissent recorded) → 事先告知 → 决定 → 送达; 执行 pending. */
  | 'collective'
  /** … → 法制审核 (涉嫌犯罪) → 负责人决定移送 → 移送报告 → 批准、移送书 → 移送 → 公安机关签收. */
  | 'transfer'
  /** 立案 → 调查取证 → 法制审核 under way (accepted, with the reviewer). */
  | 'review';

export interface LifecycleDemoCase {
  path: DemoPath;
  dept: 'SCJG' | 'STHJ';
  /** Login of the handling officer; the others of `team` are the second 执法人员 (行政处罚法第四十二条). */
  officer: string;
  team: string[];
  serial: string;
  title: string;
  party: { type: 'organization' | 'person'; name: string; idCode: string; address: string; contact: string };
  facts: string;
  evidence: string[];
  basis: { law: string; article: string }[];
  discretion: { benchmark: string; position: string };
  proposal: string;
  /** The catalogue facts the case is judged on (amount in yuan). */
  judged: { amount: number; measure: string; complex?: boolean };
  filedDaysAgo: number;
  investigatedDaysAgo: number;
  decisionSerial?: number;
}

/** The materials every demo packet lists (the catalogue items' required ones). */
export const MATERIALS = ['拟作出的行政执法决定书（代拟稿）', '案件调查终结报告', '证据材料目录及证据'];

export const LIFECYCLE_CASES: LifecycleDemoCase[] = [
  {
    path: 'archived',
    dept: 'SCJG',
    officer: 'officer1',
    team: ['officer2'],
    serial: 'L01',
    title: '某某电器销售有限公司销售不合格电热水壶案',
    party: {
      type: 'organization',
      name: '盐城市某某电器销售有限公司',
      idCode: '91320902MA1DEMO101',
      address: '盐城市亭湖区解放南路1号',
      contact: '李某（法定代表人）',
    },
    facts:
      '经查，当事人于本年度销售经抽样检验不合格的电热水壶共计320台，检验结论为“防触电保护”项目不合格，不符合保障人身、财产安全的国家标准，货值金额六万四千元，违法所得八千元。',
    evidence: ['现场检查笔录', '抽样检验报告', '进货及销售台账', '询问笔录'],
    basis: [{ law: '《中华人民共和国产品质量法》', article: '第四十九条' }],
    discretion: { benchmark: '本机关产品质量类行政处罚裁量基准', position: '货值金额等值罚款（从轻）' },
    proposal: '责令停止销售，没收不合格电热水壶，没收违法所得八千元，并处罚款六万四千元。',
    judged: { amount: 64000, measure: 'fine' },
    filedDaysAgo: 40,
    investigatedDaysAgo: 21,
    decisionSerial: 11,
  },
  {
    path: 'hearing',
    dept: 'SCJG',
    officer: 'officer2',
    team: ['officer1'],
    serial: 'L02',
    title: '某某食品有限公司生产超限量使用食品添加剂的食品案',
    party: {
      type: 'organization',
      name: '盐城市某某食品有限公司',
      idCode: '91320903MA1DEMO102',
      address: '盐城市盐都区开放大道2号',
      contact: '王某（法定代表人）',
    },
    facts:
      '经查，当事人生产的“某某牌”蜜饯经抽样检验，甜蜜素含量超过食品安全标准规定的最大使用量，涉案食品货值金额六千元。',
    evidence: ['现场检查笔录', '抽样检验报告', '生产记录', '询问笔录'],
    basis: [{ law: '《中华人民共和国食品安全法》', article: '第一百二十四条第一款第（三）项' }],
    discretion: { benchmark: '本机关食品安全类行政处罚裁量基准', position: '五万元以上十万元以下幅度的中档' },
    proposal: '没收违法生产的食品，并处罚款八万元。',
    judged: { amount: 80000, measure: 'fine' },
    filedDaysAgo: 30,
    investigatedDaysAgo: 12,
  },
  {
    path: 'collective',
    dept: 'SCJG',
    officer: 'officer1',
    team: ['officer2'],
    serial: 'L03',
    title: '某某广告传媒有限公司发布虚假广告案',
    party: {
      type: 'organization',
      name: '盐城市某某广告传媒有限公司',
      idCode: '91320902MA1DEMO103',
      address: '盐城市亭湖区人民中路3号',
      contact: '赵某（法定代表人）',
    },
    facts:
      '经查，当事人在其运营的微信公众号发布宣称某保健食品“治疗高血压、糖尿病”的广告，广告内容虚假；案件涉及广告主、广告经营者、广告发布者多方主体，广告费用无法计算。',
    evidence: ['网页公证书', '广告合同', '询问笔录（广告主、广告发布者）', '现场检查笔录'],
    basis: [{ law: '《中华人民共和国广告法》', article: '第五十五条第一款' }],
    discretion: { benchmark: '本机关广告类行政处罚裁量基准', position: '二十万元以上一百万元以下幅度的下限' },
    proposal: '责令停止发布广告，责令在相应范围内消除影响，并处罚款二十万元。',
    judged: { amount: 200000, measure: 'fine', complex: true },
    filedDaysAgo: 50,
    investigatedDaysAgo: 20,
    decisionSerial: 12,
  },
  {
    path: 'transfer',
    dept: 'SCJG',
    officer: 'officer1',
    team: ['officer2'],
    serial: 'L04',
    title: '某某酒业商行销售假冒注册商标的白酒案',
    party: {
      type: 'organization',
      name: '盐城市亭湖区某某酒业商行',
      idCode: '92320902MA1DEMO104',
      address: '盐城市亭湖区建军东路4号',
      contact: '孙某（经营者）',
    },
    facts:
      '经查，当事人自本年初起销售假冒“某某”注册商标的白酒，现场查获1200瓶；经商标注册人鉴定均为假冒产品，已销售部分销售金额三十六万元，违法所得约十二万元。',
    evidence: ['现场检查笔录', '扣押财物清单', '商标注册人鉴定意见', '销售记录及账册', '询问笔录'],
    basis: [
      { law: '《中华人民共和国商标法》', article: '第五十七条第（三）项、第六十一条' },
      { law: '《中华人民共和国刑法》', article: '第二百一十四条' },
    ],
    discretion: { benchmark: '本机关商标类行政处罚裁量基准', position: '涉嫌犯罪，移送公安机关' },
    proposal: '当事人违法所得数额较大，涉嫌销售假冒注册商标的商品罪，拟移送公安机关依法处理。',
    judged: { amount: 360000, measure: 'fine' },
    filedDaysAgo: 20,
    investigatedDaysAgo: 6,
  },
  {
    path: 'review',
    dept: 'STHJ',
    officer: 'officer3',
    team: [],
    serial: 'L05',
    title: '某某化工有限公司超标排放大气污染物案',
    party: {
      type: 'organization',
      name: '盐城市某某化工有限公司',
      idCode: '91320913MA1DEMO105',
      address: '盐城市大丰区化工园区5号',
      contact: '周某（法定代表人）',
    },
    facts:
      '经查，当事人二号焚烧炉排放口颗粒物浓度经监测为每立方米四十六毫克，超过《大气污染物综合排放标准》规定的限值。',
    evidence: ['现场检查笔录', '监测报告', '自动监控数据', '询问笔录'],
    basis: [{ law: '《中华人民共和国大气污染防治法》', article: '第九十九条第（二）项' }],
    discretion: { benchmark: '本机关生态环境行政处罚裁量基准', position: '十万元以上一百万元以下幅度的下档' },
    proposal: '责令改正，并处罚款二十万元。',
    judged: { amount: 200000, measure: 'fine' },
    filedDaysAgo: 35,
    investigatedDaysAgo: 8,
  },
];
