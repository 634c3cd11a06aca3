// Browser packages without type declarations that NodeNext or Bundler resolution finds.
declare module 'bpmn-js-bpmnlint' {
  const module: Record<string, unknown>;
  export default module;
}
declare module 'bpmn-js-token-simulation' {
  const module: Record<string, unknown>;
  export default module;
}
declare module 'bpmn-js-token-simulation/lib/viewer' {
  const module: Record<string, unknown>;
  export default module;
}
declare module 'bpmn-js-element-templates' {
  export const ElementTemplatesPropertiesProviderModule: Record<string, unknown>;
  export const ElementTemplatesCoreModule: Record<string, unknown>;
}
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: Record<string, unknown>;
  export const BpmnPropertiesProviderModule: Record<string, unknown>;
  export function useService<T = any>(name: string): T;
}
declare module '@bpmn-io/properties-panel' {
  type Component = (props: any) => any;
  export const TextFieldEntry: Component;
  export const TextAreaEntry: Component;
  export const SelectEntry: Component;
  export const CheckboxEntry: Component;
  export const NumberFieldEntry: Component;
  export const ListGroup: Component;
  export const Group: Component;
  export function isTextFieldEntryEdited(node: unknown): boolean;
  export function isTextAreaEntryEdited(node: unknown): boolean;
  export function isSelectEntryEdited(node: unknown): boolean;
  export function isCheckboxEntryEdited(node: unknown): boolean;
  export function isNumberFieldEntryEdited(node: unknown): boolean;
}
declare module 'camunda-bpmn-moddle/resources/camunda.json' {
  const descriptor: Record<string, unknown>;
  export default descriptor;
}
declare module '*.css';
declare module '*.json' {
  const value: any;
  export default value;
}
