/** A problem with one field of a step's form, as the page shows it beside the field and the API lists it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A domain rule on a step's submitted form, beyond what its fashen:form fields declare. */
export type StepRule = (values: Readonly<Record<string, unknown>>) => FieldProblem[];

/**
 * A domain rule on who may complete a step at all, given the state of what the task serves (the review's gate
 * before the chief's decision). It throws the refusal; it may record the attempt first.
 */
export type StepGuard = (task: { instanceId: string }, actorId: string) => Promise<void>;

/**
 * The rules each step's form must meet, by `fashen:step`. Capabilities register theirs at assembly (the review
 * registers the review's); the tasks service applies them to every completion, from the API and the pages alike.
 */
export class StepRules {
  private readonly rules = new Map<string, StepRule[]>();
  private readonly guards = new Map<string, StepGuard[]>();

  add(step: string, rule: StepRule): void {
    this.rules.set(step, [...(this.rules.get(step) ?? []), rule]);
  }

  check(step: string | null, values: Readonly<Record<string, unknown>>): FieldProblem[] {
    if (!step) return [];
    return (this.rules.get(step) ?? []).flatMap((rule) => rule(values));
  }

  guard(step: string, guard: StepGuard): void {
    this.guards.set(step, [...(this.guards.get(step) ?? []), guard]);
  }

  /** Runs the step's guards before its completion is judged or written; the first refusal is thrown. */
  async enter(step: string | null, task: { instanceId: string }, actorId: string): Promise<void> {
    if (!step) return;
    for (const guard of this.guards.get(step) ?? []) await guard(task, actorId);
  }
}
