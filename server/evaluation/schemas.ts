import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';

const Code = Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9._-]+$' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const StandardSchema = Type.Object({
  code: Code,
  text: Text(200),
  points: Type.Number({ minimum: 0.5, maximum: 1000 }),
});
export const ChecklistItemSchema = Type.Object({
  code: Code,
  title: Text(100),
  points: Type.Number({ minimum: 1, maximum: 1000 }),
  standards: Type.Array(StandardSchema, { minItems: 1, maxItems: 50 }),
});
export const ChecklistBody = Type.Object({
  title: Text(200),
  items: Type.Array(ChecklistItemSchema, { minItems: 1, maxItems: 50 }),
});
export const ChecklistView = Type.Object({
  id: Type.Union([Uuid, Type.Null()]),
  title: Type.String(),
  total: Type.Number(),
  items: Type.Array(ChecklistItemSchema),
});

export const RoundBody = Type.Object({
  title: Text(200),
  year: Type.Integer({ minimum: 2000, maximum: 2199 }),
  perAgency: Type.Integer({ minimum: 1, maximum: 100 }),
  evaluatorIds: Type.Array(Uuid, { minItems: 1, maxItems: 100 }),
  evaluatorsPerCase: Type.Integer({ minimum: 1, maximum: 5, default: 2 }),
  checklistId: Type.Optional(Uuid),
  seed: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  rectifyWorkingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
});

export const DeductionSchema = Type.Object({ standard: Code, note: Type.String({ maxLength: 1000 }) });
export const ScoreBody = Type.Object({
  deductions: Type.Array(DeductionSchema, { maxItems: 100 }),
  comment: Type.String({ maxLength: 2000, default: '' }),
});
export const RectificationBody = Type.Object({ answer: Text(5000) });
export const RoundCaseParams = Type.Object({ id: Uuid, caseId: Uuid });

export const RoundSummary = Type.Object({
  id: Uuid,
  title: Type.String(),
  year: Type.Integer(),
  seed: Type.String(),
  perAgency: Type.Integer(),
  evaluatorsPerCase: Type.Integer(),
  status: Type.Union([Type.Literal('scoring'), Type.Literal('closed')]),
  createdAt: IsoDateTime,
  closedAt: Type.Union([IsoDateTime, Type.Null()]),
  rectifyDueAt: Type.Union([IsoDateTime, Type.Null()]),
});

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const EvaluatorScore = Type.Object({
  id: Uuid,
  name: Type.String(),
  score: Nullable(Type.Number()),
  submittedAt: Nullable(IsoDateTime),
  comment: Nullable(Type.String()),
  deductions: Type.Array(Type.Object({ standard: Type.String(), note: Type.String(), text: Type.String() })),
});
export const RoundView = Type.Object({
  round: RoundSummary,
  checklist: ChecklistView,
  population: Type.Object({
    digest: Type.String(),
    departments: Type.Array(
      Type.Object({
        departmentId: Uuid,
        departmentName: Type.String(),
        eligible: Type.Integer(),
        drawn: Type.Integer(),
      }),
    ),
  }),
  progress: Type.Object({ submitted: Type.Integer(), expected: Type.Integer() }),
  cases: Type.Array(
    Type.Object({
      caseId: Uuid,
      caseNumber: Type.String(),
      title: Type.String(),
      departmentId: Uuid,
      departmentName: Type.String(),
      score: Nullable(Type.Number()),
      grade: Nullable(Type.String()),
      evaluators: Type.Array(EvaluatorScore),
    }),
  ),
  agencies: Type.Array(
    Type.Object({
      departmentId: Uuid,
      departmentName: Type.String(),
      cases: Type.Integer(),
      score: Nullable(Type.Number()),
      grade: Nullable(Type.String()),
      rank: Nullable(Type.Integer()),
      commonDeductions: Type.Array(
        Type.Object({ standard: Type.String(), text: Type.String(), times: Type.Integer() }),
      ),
      rectification: Type.Object({
        overdue: Type.Boolean(),
        answers: Type.Array(
          Type.Object({ id: Uuid, answer: Type.String(), answeredBy: Type.String(), answeredAt: IsoDateTime }),
        ),
      }),
    }),
  ),
});
