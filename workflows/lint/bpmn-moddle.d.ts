// bpmn-moddle 9 ships no type declarations; this is the part of its API Fashen uses.
declare module 'bpmn-moddle' {
  /** Any element read from BPMN XML. Known properties are typed; the rest depend on `$type`. */
  export interface BaseElement {
    readonly $type: string;
    readonly $parent?: BaseElement;
    readonly $attrs?: Record<string, string>;
    readonly $descriptor?: { name: string };
    id?: string;
    name?: string;
    [property: string]: unknown;
  }

  export interface Definitions extends BaseElement {
    rootElements?: BaseElement[];
    diagrams?: BaseElement[];
  }

  export interface ParseWarning {
    message: string;
    element?: BaseElement;
    property?: string;
    value?: unknown;
    error?: Error;
  }

  /** What `fromXML` resolves to; moddle-context-serializer and bpmn-engine call it the "moddle context". */
  export interface ParseResult {
    rootElement: Definitions;
    references: unknown[];
    warnings: ParseWarning[];
    elementsById: Record<string, BaseElement>;
  }

  export default class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>;
  }
}
