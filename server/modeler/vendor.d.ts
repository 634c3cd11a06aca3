// Packages of the modeler that the server uses too and that ship no type declarations.
declare module 'bpmn-auto-layout' {
  /** Lays out the first process of a BPMN document and returns it with a generated diagram (BPMNDI). */
  export function layoutProcess(xml: string): Promise<string>;
}

declare module 'bpmn-js-differ' {
  export interface DiffResult {
    _added: Record<string, { $type: string; id?: string; name?: string }>;
    _removed: Record<string, { $type: string; id?: string; name?: string }>;
    _changed: Record<string, { model: { $type: string; id?: string; name?: string }; attrs: Record<string, unknown> }>;
    _layoutChanged: Record<string, { $type: string; id?: string; name?: string }>;
  }
  export function diff(oldDefinitions: unknown, newDefinitions: unknown): DiffResult;
}
