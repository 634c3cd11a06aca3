import type { FormField } from '../engine/forms.js';

/** A problem with one field of a step's form, as the page shows it beside the field and the API lists it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The task a rule judges: its process instance (null when a rule is checked outside a task, as in a unit test). */
export interface RuleTask {
  instanceId: string;
}

/** A domain rule on a step's submitted form, beyond what its fashen:form fields declare. */
export type StepRule = (
  values: Readonly<Record<string, unknown>>,
  task: RuleTask | null,
) => FieldProblem[] | Promise<FieldProblem[]>;

/**
 * Fields a capability asks of a step beyond its BPMN form, for the task at hand (a department's own review
 * points): the form check requires and types them like declared fields, and the page renders them.
 */
export type StepFields = (task: RuleTask) => Promise<FormField[]>;

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
  private readonly extras = new Map<string, StepFields[]>();

  add(step: string, rule: StepRule): void {
    this.rules.set(step, [...(this.rules.get(step) ?? []), rule]);
  }

  async check(
    step: string | null,
    values: Readonly<Record<string, unknown>>,
    task: RuleTask | null = null,
  ): Promise<FieldProblem[]> {
    if (!step) return [];
    const problems: FieldProblem[] = [];
    for (const rule of this.rules.get(step) ?? []) problems.push(...(await rule(values, task)));
    return problems;
  }

  fields(step: string, provider: StepFields): void {
    this.extras.set(step, [...(this.extras.get(step) ?? []), provider]);
  }

  /** The fields the step asks of this task beyond its BPMN form, in the providers' order. */
  async extraFields(step: string | null, task: RuleTask): Promise<FormField[]> {
    if (!step) return [];
    const fields: FormField[] = [];
    for (const provider of this.extras.get(step) ?? []) fields.push(...(await provider(task)));
    return fields;
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
