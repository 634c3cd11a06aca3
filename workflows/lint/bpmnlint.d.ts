// bpmnlint 11 ships no module declaration that NodeNext resolution finds; this is the part Fashen uses.
declare module 'bpmnlint' {
  export interface LintReport {
    id?: string;
    message: string;
    category: 'error' | 'warn' | 'info' | 'rule-error';
    meta?: { flow?: boolean };
    [extra: string]: unknown;
  }
  export interface LinterOptions {
    config: { rules: Record<string, string | [string, unknown]> };
    resolver: {
      resolveRule(pkg: string, ruleName: string): unknown;
      resolveConfig(pkg: string, configName: string): unknown;
    };
  }
  export class Linter {
    constructor(options: LinterOptions);
    lint(root: unknown): Promise<Record<string, LintReport[]>>;
  }
}
