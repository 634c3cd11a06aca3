/** A problem with one field of a step's form, as the page shows it beside the field and the API lists it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A domain rule on a step's submitted form, beyond what its fashen:form fields declare. */
export type StepRule = (values: Readonly<Record<string, unknown>>) => FieldProblem[];

/**
 * The rules each step's form must meet, by `fashen:step`. Capabilities register theirs at assembly (the review
 * registers the review's); the tasks service applies them to every completion, from the API and the pages alike.
 */
export class StepRules {
  private readonly rules = new Map<string, StepRule[]>();

  add(step: string, rule: StepRule): void {
    this.rules.set(step, [...(this.rules.get(step) ?? []), rule]);
  }

  check(step: string | null, values: Readonly<Record<string, unknown>>): FieldProblem[] {
    if (!step) return [];
    return (this.rules.get(step) ?? []).flatMap((rule) => rule(values));
  }
}
