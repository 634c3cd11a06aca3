/** One field of a catalogue item that differs between two versions, in words a reader of the catalogue uses. */
export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

export interface ItemRef {
  code: string;
  name: string;
  categoryLabel: string;
}

/** What changed in a department's catalogue (目录清单), item by item, matched by item code. */
export interface CatalogueDiff {
  added: ItemRef[];
  removed: ItemRef[];
  changed: (ItemRef & { fields: FieldChange[] })[];
}

export interface FlowElement {
  id: string;
  type: string;
  name: string | null;
}

/** What changed in the flow's elements (the modeler's comparison), without moved-only elements. */
export interface FlowDiff {
  added: FlowElement[];
  removed: FlowElement[];
  changed: (FlowElement & { attributes: string[] })[];
}
