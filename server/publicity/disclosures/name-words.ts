/**
 * Word lists for finding natural persons' names in decision texts (person-names.ts): surnames, the words that
 * introduce a name (cues), the words that follow one, and the characters common in given names.
 */

const words = (s: string) => s.split(/\s+/u).filter(Boolean);

// Common surnames, compound ones first so that 欧阳 wins over 欧. They cover the great majority of people.
export const COMPOUND_SURNAMES = words('欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯');

/** The surname a name begins with: a compound surname (欧阳), else its first character. */
export function surnameOf(name: string): string {
  return COMPOUND_SURNAMES.find((s) => name.startsWith(s)) ?? name.slice(0, 1);
}
export const SURNAMES = new Set([
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
]);
// Surnames that are also adverbs or modal verbs right after a subject: 当事人曾在家销售 (once), 当事人应自行整改
// (should), 尚未, 常年, 时任, 连续, 全部, 单独, 明知. After them a given name must show itself more plainly.
export const ADVERB_SURNAMES = new Set([...'曾应尚常时连全单明']);

// Words after which a natural person's name may follow: roles in the case, and relatives, employees and
// other people around the party (their names are as private as the party's).
export const ROLE_CUES = words(`当事人 法定代表人 负责人 经营者 业主 户主 投诉人 举报人 证人 见证人 被检查人 申请人
  被申请人 委托代理人 代理人 驾驶人 驾驶员 承租人 出租人 实际控制人 股东 监护人 联系人 姓名`);
// Relationship cues (and the shop's or stall's keeper). These words also occur inside longer words (妇女儿童,
// 父母亲, 该店主管人员), so a relationship cue counts only where the word segmentation starts a word with it
// and another at most one character after it (店主张伟称 is read 店 | 主张 | 伟: the surname may be taken).
export const RELATION_CUES = words(`员工 雇员 店员 营业员 收银员 帮工 店主 摊主 其妻 其夫 其子 其女 之妻 之夫 之子 之女
  配偶 妻子 丈夫 爱人 父亲 母亲 儿子 女儿 儿媳 女婿 子女 亲属 亲戚 哥哥 弟弟 姐姐 妹妹`);

// Characters that begin a word after a name and seldom end one: after 赵强 in 赵强曾于…, 赵强也…, 王强店内…
export const AFTER_NAME_CHARS = new Set([
  ...'也到家去用来被给不会都店站馆厂曾均仍又并即就还把让从说拒持所只另以受拟处没私诉带占有住',
]);
// Of those, the nouns (a place may end in them: 曾在新店销售), which do not end a given name on their own.
export const PLACE_CHARS = new Set([...'家店站馆厂']);
// Verbs and adverbs that follow a party's name in decision texts (王强开设便利店, 王强购进, 王强租用店面): they
// end the name, and a name before them is no part of an organisation's name. Words beginning with a common
// last character of given names (明知, 超范围) end a name only where the character cannot end it (see
// givenEndsBefore in person-names.ts).
export const AFTER_NAME_WORDS = words(`
  名下 开具 开出 隐匿 超载 超限
  开设 开办 开展 开业 销售 出售 售卖 零售 批发 生产 加工 制作 制造 储存 贮存 存放 堆放 运输 运送 装载
  购进 购买 采购 收购 进货 使用 租用 租赁 承租 承包 转租 出租 出借 借用 挂靠 雇佣 雇用 聘用 招用 安排
  提供 发布 张贴 设置 设立 搭建 占用 改变 变更 转让 冒用 冒充 假冒 伪造 变造 篡改 隐瞒 谎称 虚构 违反
  违规 涉嫌 擅自 私自 未经 无证 无照 超范围 超出 拒绝 拒不 阻碍 妨碍 逃避 抗拒 驾驶 驾车 停放 运营 排放
  倾倒 丢弃 焚烧 砍伐 盗伐 捕捞 屠宰 养殖 种植 收取 收受 支付 转账 退还 赔偿 缴纳 签订 签署 签字 签名
  承认 否认 供述 陈述 辩称 声称 表示 确认 认可 证实 证明 指认 交代 供认 如实 主动 积极 按时 按照 多次
  先后 长期 一直 曾经 已经 仍然 均未 并未 从未 尚未 明知 知道 得知 发现 接到 收到 取得 持有 携带 办理
  领取 负责 从事 参与 参加 协助 帮助 介绍 组织 指使 委托 授权 要求 请求 愿意 承诺 整改 改正 停止 停业
  歇业 搬离 离开 外出 到场 前往 进入 居住 联系 通过 利用 采用 采取 实施 进行 作出 出具 出示 提交 提出
  补办 没有 不能 无法 应当 应该 必须 需要 能够 可以 共计 合计 累计 分别 随后 当场 现场 当即 立即 随即
  拨打 报警 举报 投诉 反映 告知 通知 签收 入股 出资 投资 注册 登记 申报 申领 填写 伙同 会同 陪同 带领
  代为 另行 自行 独自 亲自 事先 私下 身份 户籍 在场 经营 因病 因故 及时`);

// Common last characters of given names: a third character that is one of them stays in the name even
// when it and the next character could form a word (王秀英也…, 李德才是…, 王保国家里…). Characters that
// often begin verbs after a name (生产, 成为, 利用, 安排) are left out on purpose.
export const GIVEN_NAME_LAST = new Set([
  ...'英兰华珍芳明红梅丽平国凤霞清桂燕强宝东福伟民俊荣杰娟敏静庆祥斌彬波勇毅刚辉鹏飞宇浩然轩涵萱欣怡琪婷晨阳泽睿凯帅伦旭昊莹颖慧萍菊芬玲琴云莲香月珠翠雅丹彩洁娜磊洋艳涛超健宁亮峰鑫蕾薇萌彤坤鸿婕莉才新军林山海文玉霖雪琳瑶龙虎彪豪雄哲娥花秀珊琦瑜璐璇悦康寿恒程翔腾义智信忠孝廉勤贤良善元兴旺茂盛昌友春秋冬夏喜乐顺泰瑞远辰锋君鸣航楠铭',
]);
// Common given-name characters in any position (with the last ones above).
export const GIVEN_NAME_CHARS = new Set([
  ...GIVEN_NAME_LAST,
  ...'一小子少长跃进保爱素树佑天晓建志立永金德学光中淑桂美思诗雨梓嘉佳博家俊宏卫亚伯仲维威振耀承继红丽玉秀婉文武世三四五有',
]);
// Last characters of given names that also begin common verbs (生产): kept only before a word of the lists
// (张春生于…), not before a dictionary word (王强生产销售 → 王强).
export const GIVEN_NAME_LAST_BEFORE_LISTED = new Set([...'生']);
// Demonstratives, 自己 and the mask's own character: never part of a given name (时任该公司, 曾在某某处, 店主张自己).
export const NEVER_GIVEN = new Set([...'该此这那各每本某其己']);

// A time or place after the preposition 于 (当事人于次日到场, 于本月, 于二〇二六年三月, 于案发当日, 于家中): no name.
export const AFTER_YU = new RegExp(
  `^(?:[〇零一二三四五六七八九十两]+[年月日号时]|[次当同本今去前昨翌上下近该此每即][日月年天周晚午夜时期旬季度早]|${words(`
    年初 年中 年底 年末 月初 月中 月底 月末 凌晨 清晨 早上 早晨 傍晚 晚上 晚间 中午 深夜 夜间 白天 节前 节后 节假日 期间
    其间 春节 近期 日前 目前 此前 此后 案发 事发 家中 家里 门店 门口 门前 店内 店中 店里 住处 住所 住宅 仓库 库房 市场
    路边 路口 街边 车内 车上 院内 楼下 厂内 厂区 村内 现场 现在 立案`).join('|')})`,
  'u',
);
