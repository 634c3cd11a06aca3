import type { Kysely, Transaction } from 'kysely';
import type { CaseRow, OpinionFinding } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import { REGULATION } from './rules.js';
import type { HandedEvidence } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The review's crime point (涉嫌犯罪移送) answered 是（需移送）: the opinion's note names the suspected crime. */
const CRIME_POINT = 'crime_transfer';

/** The latest opinion on the case's current packet that found a suspected crime, if any. */
async function crimeFinding(db: Db, c: Pick<CaseRow, 'id' | 'current_round'>) {
  const row = await db
    .selectFrom('review_opinions as o')
    .innerJoin('users as u', 'u.id', 'o.reviewer_id')
    .select(['o.findings', 'o.created_at', 'o.round', 'u.display_name'])
    .where('o.case_id', '=', c.id)
    .where('o.round', '=', c.current_round)
    .orderBy('o.created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const point = (row?.findings as OpinionFinding[] | undefined)?.find(
    (f) => f.point === CRIME_POINT && f.finding === 'transfer_required',
  );
  return row && point ? { note: point.note, reviewer: row.display_name, at: row.created_at.toISOString() } : null;
}

/**
 * Where the case stands towards a transfer, before any was reported: due once the chief decided 移送司法机关 (the
 * agency 应当立即 forms the 专案组 and reports, 第五条第一款), or pending the chief's decision when the review found a
 * suspected crime. Null when neither.
 */
export async function transferDue(db: Db, c: CaseRow) {
  const crime = await crimeFinding(db, c);
  const chief = c.chief_decision?.decision === 'transfer' ? c.chief_decision : null;
  if (c.status === 'transferred') {
    return {
      state: 'due' as const,
      text: `负责人已决定移送司法机关${chief ? `（${chief.decidedAt.slice(0, 10)}）` : ''}，应当立即指定2名或者2名以上行政执法人员组成专案组，核实情况后提出移送涉嫌犯罪案件的书面报告，报经本机关正职负责人或者主持工作的负责人审批（${REGULATION}第五条第一款）；不得以行政处罚代替移送（第十一条第一款）`,
      crime,
      chiefReasons: chief?.reasons ?? null,
    };
  }
  if (crime && !c.decision) {
    return {
      state: 'pending' as const,
      text: `法制审核意见认为本案涉嫌犯罪需移送（${crime.reviewer}）；负责人决定移送司法机关后，由专案组提出移送涉嫌犯罪案件的书面报告（${REGULATION}第五条）`,
      crime,
      chiefReasons: null,
    };
  }
  return null;
}

/**
 * The written report as the case already states it, for the officer to complete: the facts found and the suspected
 * crime (the review's crime point, the chief's reasons), the 专案组 from the case's officers, and the materials of
 * 第六条 with the case's evidence listed.
 */
export async function transferDraft(db: Db, c: CaseRow, known?: Awaited<ReturnType<typeof transferDue>>) {
  const due = known === undefined ? await transferDue(db, c) : known;
  const p = c.packet;
  const reasons = [
    `经查：${p.factsFound}`,
    due?.crime?.note ? `法制审核意见认为涉嫌犯罪：${due.crime.note}` : '',
    due?.chiefReasons ? `负责人决定：${due.chiefReasons}` : '',
    `根据《中华人民共和国行政处罚法》第二十七条、${REGULATION}第三条，应当移送公安机关依法处理。`,
  ].filter(Boolean);
  const evidence: HandedEvidence[] = [
    { name: '涉嫌犯罪案件情况的调查报告', quantity: '1份' },
    { name: '涉案物品清单', quantity: '1份' },
    ...p.evidence.map((e) => ({
      name: e.name.slice(0, 200),
      ...(e.description && { note: e.description.slice(0, 500) }),
    })),
  ];
  const officers = await db
    .selectFrom('users')
    .select(['id', 'roles'])
    .where('id', 'in', p.officerIds.length ? p.officerIds : ['00000000-0000-0000-0000-000000000000'])
    .where('department_id', '=', c.department_id)
    .execute();
  return {
    due,
    draft: {
      teamIds: officers.filter((u) => u.roles.includes('officer')).map((u) => u.id),
      reasons: reasons.join('\n').slice(0, 10000),
      evidence,
    },
  };
}
