/**
 * Natural persons' names in a decision's text, for the masking in redaction.ts: the names known from the case,
 * and names after cue words (当事人, 证人 …; relatives, employees and keepers: 妻子, 父亲, 员工, 店主 …), a common
 * surname with a given name whose length is read from the words that follow it (李明销售 → 李明; 王秀英也 →
 * 王秀英), also where the given name begins with a stop word (张自强销售 → 张自强; 李和平未到场 → 李和平).
 */

// Common surnames, compound ones first so that 欧阳 wins over 欧. They cover the great majority of people.
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '令狐',
  '司徒',
  '夏侯',
];
const SURNAMES = new Set([
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
]);

export function surnameOf(name: string): string {
  return COMPOUND_SURNAMES.find((s) => name.startsWith(s)) ?? name.slice(0, 1);
}

export function maskPersonName(name: string): string {
  return `${surnameOf(name)}某某`;
}

// Words after which a natural person's name may follow: roles in the case, and relatives, employees and
// other people around the party (their names are as private as the party's).
const ROLE_CUES = [
  '当事人',
  '法定代表人',
  '负责人',
  '经营者',
  '业主',
  '户主',
  '投诉人',
  '举报人',
  '证人',
  '见证人',
  '被检查人',
  '申请人',
  '被申请人',
  '委托代理人',
  '代理人',
  '驾驶人',
  '驾驶员',
  '承租人',
  '出租人',
  '实际控制人',
  '股东',
  '监护人',
  '联系人',
  '姓名',
];
// Relationship cues (and the shop's or stall's keeper). These words also occur inside longer words (妇女儿童,
// 父母亲, 该店主管人员), so a relationship cue counts only where the word segmentation starts a word with it
// and another at most one character after it (店主张伟称 is read 店 | 主张 | 伟: the surname may be taken).
const RELATION_CUES = [
  '员工',
  '雇员',
  '店员',
  '营业员',
  '收银员',
  '帮工',
  '店主',
  '摊主',
  '其妻',
  '其夫',
  '其子',
  '其女',
  '之妻',
  '之夫',
  '之子',
  '之女',
  '配偶',
  '妻子',
  '丈夫',
  '爱人',
  '父亲',
  '母亲',
  '儿子',
  '女儿',
  '儿媳',
  '女婿',
  '子女',
  '亲属',
  '亲戚',
  '哥哥',
  '弟弟',
  '姐姐',
  '妹妹',
];
const RELATION_CUE_SET = new Set(RELATION_CUES);
const byLength = (words: readonly string[]) => [...words].sort((a, b) => b.length - a.length).join('|');
// The name is looked ahead at, not consumed.
const CUE_BEFORE_NAME = new RegExp(
  `(?:${byLength([...ROLE_CUES, ...RELATION_CUES])})[：:，, ]?(?=[\\u4e00-\\u9fa5]{2})`,
  'gu',
);
const NAME_STOP = new RegExp(
  `(?:有限|公司|某|系|于|在|对|因|的|与|和|及|未|已|将|称|等|经|自|向|为|是|现|同|个体|本人|其|无|${byLength([...ROLE_CUES, ...RELATION_CUES])})`,
  'u',
);

/** Whether the character `c` is a stop word by itself: 于, 在, 和, 自, 为 … (not 个 of 个体). */
const isStopChar = (c: string) => c.length === 1 && NAME_STOP.test(c);

// Characters that begin a word after a name and seldom end one: after 赵强 in 赵强曾于…, 赵强也…, 王强店内…
const AFTER_NAME_CHARS = new Set([
  ...'也到家去用来被给不会都店站馆厂曾均仍又并即就还把让从说拒持所只另以受拟处没私诉带占',
]);
// Words of that kind the word segmentation does not know as words in every context.
const AFTER_NAME_WORDS = ['名下', '开具', '开出', '隐匿', '超载', '超限'];
// Common last characters of given names: a third character that is one of them stays in the name even
// when it and the next character could form a word (王秀英也…, 李德才是…, 王保国家里…). Characters that
// often begin verbs after a name (生产, 成为, 利用, 安排) are left out on purpose.
const GIVEN_NAME_LAST = new Set([
  ...'英兰华珍芳明红梅丽平国凤霞清桂燕强宝东福伟民俊荣杰娟敏静庆祥斌彬波勇毅刚辉鹏飞宇浩然轩涵萱欣怡琪婷晨阳泽睿凯帅伦旭昊莹颖慧萍菊芬玲琴云莲香月珠翠雅丹彩洁娜磊洋艳涛超健宁亮峰鑫蕾薇萌彤坤鸿婕莉才新军林山海文玉霖雪琳瑶龙虎彪豪雄哲娥花秀珊琦瑜璐璇悦康寿恒程翔腾义智信忠孝廉勤贤良善元兴旺茂盛昌友春秋冬夏喜乐顺泰瑞远辰锋君鸣航楠铭',
]);
// Common given-name characters in any position (with the last ones above).
const GIVEN_NAME_CHARS = new Set([
  ...GIVEN_NAME_LAST,
  ...'一小子少长跃进保爱素树佑天晓建志立永金德学光中淑桂美思诗雨梓嘉佳博家俊宏卫亚伯仲维威振耀承继红丽玉秀婉文武世三四五',
]);

// Last characters of given names that also begin common verbs (生产): kept only before a word of the lists
// (张春生于…), not before a dictionary word (王强生产销售 → 王强).
const GIVEN_NAME_LAST_BEFORE_LISTED = new Set([...'生']);

// ICU dictionary word segmentation (full-ICU Node builds have it); without it only the lists above decide.
const WORDS = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('zh', { granularity: 'word' }) : null;
const CJK = /^[\u4e00-\u9fa5]/u;

/** The dictionary word (2+ characters) the segmentation starts at the beginning of `s`, or ''. */
function wordAt(s: string): string {
  if (!WORDS || !CJK.test(s)) return '';
  const w = WORDS.segment(s.slice(0, 10)).containing(0);
  return w?.isWordLike && w.index === 0 && w.segment.length >= 2 ? w.segment : '';
}

/** Whether the segmentation starts a word at `at` in `text` (true without a segmenter). */
function startsWord(text: string, at: number): boolean {
  if (!WORDS) return true;
  const from = Math.max(0, at - 8);
  const w = WORDS.segment(text.slice(from, at + 10)).containing(at - from);
  return !w || w.index === at - from;
}

/** Whether `s` starts with what usually follows a name: a function word or verb of the lists, or a stop word. */
export function startsAfterNameWord(s: string): boolean {
  return AFTER_NAME_CHARS.has(s[0]) || AFTER_NAME_WORDS.some((w) => s.startsWith(w)) || NAME_STOP.exec(s)?.index === 0;
}

/**
 * Whether a 1-character given name ends before `rest` (the text after its first character): `rest` starts
 * with a word that follows names (李明销售 → 销售, 赵强曾于 → 曾), unless its first character commonly ends
 * given names and a word starts right after it (王秀英也 → 英 + 也).
 */
function givenEndsBefore(rest: string): boolean {
  if (startsAfterNameWord(rest)) return true;
  if (!wordAt(rest)) return false;
  const next = rest.slice(1);
  if (GIVEN_NAME_LAST_BEFORE_LISTED.has(rest[0])) return !startsAfterNameWord(next);
  return !(GIVEN_NAME_LAST.has(rest[0]) && (startsAfterNameWord(next) || wordAt(next) !== ''));
}

/**
 * Whether a 2-character given name whose first character is a one-character stop word starts at `at` in `s`:
 * 自强, 在明, 和平, 向东, 为民 (张自强销售, 王在明证实, 李和平未到场). The stop word cannot begin it, so the
 * name must show itself by its end: a common given-name character that is no stop word, followed by the end
 * of the text, punctuation, a word of the lists, or a dictionary word the segmentation starts right there
 * (or that the character commonly ends given names). Adverb + preposition (当事人曾在家中存放, 尚未建立,
 * 曾自行整改, 曾向执法人员) fails one of these; 某 (an already masked name) never begins one.
 */
function stopWordGivenAt(s: string, at: number): boolean {
  const [first, second] = [s[at] ?? '', s[at + 1] ?? ''];
  if (first === '某' || !isStopChar(first) || isStopChar(second) || !GIVEN_NAME_CHARS.has(second)) return false;
  const rest = s.slice(at + 2);
  if (!CJK.test(rest) || startsAfterNameWord(rest)) return true;
  return wordAt(rest) !== '' && (GIVEN_NAME_LAST.has(second) || startsWord(s, at + 2));
}

/**
 * The personal name at the start of `s` (the text after a cue word), or null: a name known from the case,
 * else a surname with a 1–2 character given name. Which length is decided by what follows (see
 * `givenEndsBefore`); the name never takes a character of the following word, since the mask replaces it.
 */
function nameAt(s: string, known: readonly string[]): string | null {
  const k = known.find((n) => s.startsWith(n));
  if (k) return k;
  const compound = COMPOUND_SURNAMES.find((c) => s.startsWith(c));
  if (!compound && !SURNAMES.has(s[0])) return null;
  const surname = compound ?? s[0];
  const after = s.slice(surname.length);
  // A given name beginning with a stop word is checked on its own terms, even where the segmentation reads
  // the surname and that word as one (高于飞, 方向东; 曾在明): a false mask is the lesser harm.
  if (stopWordGivenAt(s, surname.length)) return s.slice(0, surname.length + 2);
  const stop = after.search(NAME_STOP);
  let len = Math.min(/^[\u4e00-\u9fa5]{0,2}/u.exec(after)?.[0].length ?? 0, stop === -1 ? 2 : stop);
  if (len < 1) return null;
  // A single surname that the segmentation reads as part of a word with a character seldom found in given
  // names is that word, not a name (证人明确表示, 其妻子陈述称).
  const word = compound ? '' : wordAt(s);
  if (word && !GIVEN_NAME_CHARS.has(after[0])) return null;
  // A surname that is itself a stop word (于, 和, 向) before a dictionary word beginning with a character
  // seldom found in given names is the preposition (当事人于当日到场, 于上述时间, 向执法人员, 和他人).
  if (!compound && isStopChar(s[0]) && !GIVEN_NAME_CHARS.has(after[0]) && wordAt(after)) return null;
  if (len === 2 && givenEndsBefore(after.slice(1))) len = 1;
  return s.slice(0, surname.length + len);
}

/** The cue words as one alternation, longest first (organisation names never run through one). */
export const CUE_PATTERN = byLength([...ROLE_CUES, ...RELATION_CUES]);

/** Every person's name in `text`: the known ones (2+ characters) and those found after a cue word. */
export function personNamesIn(text: string, personNames: readonly string[]): Set<string> {
  const known = personNames.filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);
  const names = new Set(known);
  // Cues may overlap (其女儿: 其女, 女儿), so the search resumes one character after each cue found.
  const cues = new RegExp(CUE_BEFORE_NAME);
  for (let m = cues.exec(text); m; m = cues.exec(text)) {
    cues.lastIndex = m.index + 1;
    const cue = m[0].replace(/[：:，, ]$/u, '');
    const end = m.index + cue.length;
    const isWord = startsWord(text, m.index) && (startsWord(text, end) || startsWord(text, end + 1));
    if (RELATION_CUE_SET.has(cue) && !isWord) continue;
    const name = nameAt(text.slice(m.index + m[0].length, m.index + m[0].length + 12), known);
    if (name) names.add(name);
  }
  return names;
}
