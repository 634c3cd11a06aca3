import type { Database } from '../database/connect.js';
import * as identity from '../identity/directory.js';
import * as q from './queries.js';
import type { PowerCategory } from './vocabulary.js';

type Power = [code: string, name: string, category: PowerCategory, basis: string];
interface Guide {
  title: string;
  matter: string;
  materials: string;
  procedure: string;
  time_limit: string;
  fees: string;
  place_hours: string;
  phone: string;
}
type Inspection = [name: string, objects: string, method: string, basis: string, ratio: string];

interface Profile {
  legalAdmin: string;
  powers: Power[];
  court: string;
  guides: Guide[];
  inspections: Inspection[];
}

const HOURS = '工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）';

/** What the two demo agencies disclose before enforcement (事前公开), with the legal basis of each item. */
const PROFILES: Record<string, Profile> = {
  SCJG: {
    legalAdmin: 'legaladmin1',
    powers: [
      ['XK-001', '食品经营许可', 'licensing', '《中华人民共和国食品安全法》第三十五条'],
      ['XK-002', '工业产品生产许可', 'licensing', '《中华人民共和国工业产品生产许可证管理条例》第二条'],
      ['CF-001', '对未取得食品经营许可从事食品经营活动的处罚', 'penalty', '《中华人民共和国食品安全法》第一百二十二条'],
      ['CF-002', '对发布虚假广告的处罚', 'penalty', '《中华人民共和国广告法》第五十五条'],
      [
        'CF-003',
        '对生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的处罚',
        'penalty',
        '《中华人民共和国产品质量法》第四十九条',
      ],
      [
        'QZ-001',
        '查封、扣押不符合食品安全标准或者有证据证明存在安全隐患的食品',
        'coercion',
        '《中华人民共和国食品安全法》第一百一十条第（四）项',
      ],
      ['QZ-002', '到期不缴纳罚款的加处罚款', 'coercion', '《中华人民共和国行政处罚法》第七十二条第一款第（一）项'],
      ['JC-001', '食品生产经营监督检查', 'inspection', '《中华人民共和国食品安全法》第一百一十条'],
      ['JL-001', '对食品安全违法行为举报的奖励', 'reward', '《中华人民共和国食品安全法》第一百一十五条'],
    ],
    court: '亭湖区人民法院',
    guides: [
      {
        title: '食品经营许可（新办）办事指南',
        matter: '在本市从事食品销售、餐饮服务的经营者申请食品经营许可',
        materials:
          '1. 食品经营许可申请书\n2. 营业执照或者其他主体资格证明文件\n3. 与食品经营相适应的主要设备设施、经营布局、操作流程等文件\n4. 食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度',
        procedure: '申请 → 受理 → 审查（必要时现场核查） → 作出准予或者不予许可的决定 → 发证',
        time_limit: '自受理申请之日起10个工作日内作出决定',
        fees: '不收费',
        place_hours: `市政务服务中心二楼市场监管窗口；${HOURS}`,
        phone: '0515-88120001',
      },
      {
        title: '行政处罚听证申请指南',
        matter: '当事人对拟作出较大数额罚款、没收较大数额违法所得、吊销许可证件、责令停产停业等行政处罚决定要求听证',
        materials:
          '1. 听证申请书（写明申请听证的事项和理由）\n2. 身份证明或者营业执照复印件\n3. 委托代理人参加的，提交授权委托书',
        procedure:
          '当事人在行政机关告知后五日内提出听证申请 → 行政机关在举行听证的七日前通知当事人听证的时间、地点 → 举行听证 → 制作听证笔录（《中华人民共和国行政处罚法》第六十四条）',
        time_limit: '告知后五日内提出申请',
        fees: '不收费，当事人不承担组织听证的费用',
        place_hours: `市市场监督管理局法规科；${HOURS}`,
        phone: '0515-88120002',
      },
    ],
    inspections: [
      [
        '食品经营者落实食品安全主体责任情况检查',
        '辖区内取得食品经营许可的食品销售者、餐饮服务提供者',
        '现场检查、书面检查',
        '《中华人民共和国食品安全法》第一百一十条',
        '每年抽查比例不低于5%',
      ],
      [
        '产品质量监督抽查',
        '本市重点工业产品的生产者和销售者',
        '抽样检验',
        '《中华人民共和国产品质量法》第十五条',
        '按年度抽查计划，每年不少于一次',
      ],
      [
        '广告发布行为检查',
        '广告主、广告经营者、广告发布者',
        '网络监测、现场检查',
        '《中华人民共和国广告法》第四十九条',
        '每年抽查比例不低于3%',
      ],
    ],
  },
  STHJ: {
    legalAdmin: 'legaladmin2',
    powers: [
      ['XK-001', '排污许可', 'licensing', '《中华人民共和国环境保护法》第四十五条；《排污许可管理条例》第二条'],
      ['XK-002', '建设项目环境影响报告书、报告表审批', 'licensing', '《中华人民共和国环境影响评价法》第二十二条'],
      [
        'CF-001',
        '对超过大气污染物排放标准排放大气污染物的处罚',
        'penalty',
        '《中华人民共和国大气污染防治法》第九十九条第（二）项',
      ],
      [
        'CF-002',
        '对私设暗管或者利用渗井、渗坑等逃避监管的方式排放水污染物的处罚',
        'penalty',
        '《中华人民共和国水污染防治法》第八十三条第（三）项',
      ],
      ['CF-003', '对拒不改正违法排放污染物行为的按日连续处罚', 'penalty', '《中华人民共和国环境保护法》第五十九条'],
      [
        'QZ-001',
        '查封、扣押造成或者可能造成严重污染的设施、设备',
        'coercion',
        '《中华人民共和国环境保护法》第二十五条',
      ],
      ['JC-001', '对排放污染物的企业事业单位的现场检查', 'inspection', '《中华人民共和国环境保护法》第二十四条'],
    ],
    court: '盐都区人民法院',
    guides: [
      {
        title: '排污许可证申领指南',
        matter: '纳入固定污染源排污许可分类管理名录的企业事业单位和其他生产经营者申请排污许可证',
        materials:
          '1. 排污许可证申请表\n2. 自行监测方案\n3. 守法承诺书\n4. 排污口和监测孔规范化设置情况说明\n5. 建设项目环境影响评价文件审批文号',
        procedure: '全国排污许可证管理信息平台网上申请 → 受理 → 技术审查（必要时现场核查） → 作出决定 → 核发排污许可证',
        time_limit: '实行简化管理的自受理之日起20日内、实行重点管理的30日内作出决定',
        fees: '不收费',
        place_hours: `市政务服务中心三楼生态环境窗口；${HOURS}`,
        phone: '0515-88230001',
      },
      {
        title: '建设项目环境影响报告表审批指南',
        matter: '依法应当编制环境影响报告表的建设项目报批',
        materials: '1. 建设项目环境影响报告表审批申请\n2. 环境影响报告表（全本及删除涉密、商业秘密内容的公开版本）',
        procedure: '申请 → 受理并公开受理信息 → 技术评估 → 审查 → 审批决定并公开',
        time_limit: '自收到环境影响报告表之日起三十日内作出审批决定（《中华人民共和国环境影响评价法》第二十二条）',
        fees: '不收费',
        place_hours: `市政务服务中心三楼生态环境窗口；${HOURS}`,
        phone: '0515-88230002',
      },
    ],
    inspections: [
      [
        '排污单位排污许可证执行情况检查',
        '持有排污许可证的排污单位',
        '现场检查、查阅执行报告和自行监测数据',
        '《中华人民共和国环境保护法》第二十四条；《排污许可管理条例》',
        '重点排污单位每年不低于20%，一般排污单位每年不低于5%',
      ],
      [
        '建设项目环境保护“三同时”制度执行情况检查',
        '已批复环境影响评价文件的在建、已建建设项目',
        '现场检查',
        '《中华人民共和国环境保护法》第四十一条；《中华人民共和国环境影响评价法》第二十八条',
        '每年抽查比例不低于10%',
      ],
      [
        '危险废物规范化环境管理检查',
        '危险废物产生单位和经营单位',
        '现场检查、查阅管理台账',
        '《中华人民共和国固体废物污染环境防治法》第二十六条',
        '每年抽查比例不低于10%',
      ],
    ],
  },
};

/** Loads the demo agencies' disclosures; a section that already has content is left as it is. */
export async function loadDemoProfile(db: Database): Promise<void> {
  const now = new Date();
  for (const [code, p] of Object.entries(PROFILES)) {
    const department = await identity.findDepartmentByCode(db, code);
    if (!department) continue;
    const by = (await identity.findUserForLogin(db, p.legalAdmin))?.id ?? null;
    const stamp = { department_id: department.id, created_at: now, updated_at: now, updated_by: by };
    const counts = await q.sectionCounts(db, department.id);
    if (counts.powers === 0) {
      for (const [i, [powerCode, name, category, basis]] of p.powers.entries()) {
        await q.insertItem(db, 'agency_powers', {
          ...stamp,
          code: powerCode,
          name,
          category,
          legal_basis: basis,
          implementing_unit: null,
          sort_order: (i + 1) * 10,
        });
      }
    }
    if (counts.service_guides === 0) {
      for (const [i, g] of p.guides.entries()) {
        await q.insertItem(db, 'agency_service_guides', { ...stamp, ...g, sort_order: (i + 1) * 10 });
      }
    }
    if (counts.inspection_items === 0) {
      for (const [i, [name, objects, method, basis, ratio]] of p.inspections.entries()) {
        const item = { name, objects, method, basis, ratio, inspecting_unit: null };
        await q.insertItem(db, 'agency_inspection_items', { ...stamp, ...item, sort_order: (i + 1) * 10 });
      }
    }
    if (!counts.remedies) {
      await q.upsertRemedies(db, {
        ...stamp,
        reconsideration_organ: '市人民政府',
        reconsideration_address: '市政务服务中心四楼行政复议接待窗口',
        reconsideration_phone: '0515-88100000',
        reconsideration_time_limit:
          '自知道或者应当知道该行政行为之日起六十日内提出行政复议申请（《中华人民共和国行政复议法》第二十条）。',
        court_name: p.court,
        court_address: null,
        court_phone: null,
        litigation_time_limit:
          '自知道或者应当知道作出行政行为之日起六个月内提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）；经行政复议的，自收到复议决定书之日起十五日内提起（第四十五条）。',
        notes: '行政案件实行集中管辖的，以行政执法决定书载明的管辖人民法院为准。',
      });
    }
  }
}
