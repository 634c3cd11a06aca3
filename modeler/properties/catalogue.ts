import {
  CheckboxEntry,
  isCheckboxEntryEdited,
  isSelectEntryEdited,
  isTextAreaEntryEdited,
  isTextFieldEntryEdited,
  SelectEntry,
  TextAreaEntry,
  TextFieldEntry,
} from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import { checkCatalogueCondition } from '../../workflows/lint/catalogue-conditions.js';
import { CATEGORY_LABELS, options } from './labels.js';
import { TryItEntry } from './try-it.js';
import {
  type BpmnFactory,
  businessObject,
  ensureExtension,
  extensionOf,
  integerProblem,
  type ModdleObject,
  type Modeling,
  type Shape,
} from './util.js';

interface ItemProps {
  element: Shape;
  id: string;
  item: ModdleObject;
}

function itemText(property: string, label: string, description?: string, check?: (v: string) => string | null) {
  return function ItemText({ element, id, item }: ItemProps) {
    const modeling = useService<Modeling>('modeling');
    const debounce = useService('debounceInput');
    return h(TextFieldEntry, {
      element,
      id,
      label,
      description,
      debounce,
      getValue: () => item.get(property) ?? '',
      setValue: (value: string) => modeling.updateModdleProperties(element, item, { [property]: value || undefined }),
      validate: (value: string) => (check ? (check(value ?? '') ?? undefined) : undefined),
    });
  };
}

/** The condition, checked as deploy checks it (FEEL syntax, case facts only, allowed functions) while typing. */
function ConditionEntry({ element, id, item }: ItemProps) {
  const modeling = useService<Modeling>('modeling');
  const debounce = useService('debounceInput');
  return h(TextAreaEntry, {
    element,
    id,
    label: '适用条件（FEEL）',
    description:
      '变量：category、partyType、amount、measure、hearingHeld、thirdPartyAffected、complex、publicInterest、socialImpact',
    debounce,
    monospace: true,
    rows: 3,
    getValue: () => item.get('condition') ?? '',
    setValue: (value: string) => modeling.updateModdleProperties(element, item, { condition: value || undefined }),
    validate: (value: string) => {
      const problem = checkCatalogueCondition(value ?? '', { chars: 0 });
      return problem ? `条件${problem.problem.replace(/^的/, '')}` : undefined;
    },
  });
}

function CategoryEntry({ element, id, item }: ItemProps) {
  const modeling = useService<Modeling>('modeling');
  return h(SelectEntry, {
    element,
    id,
    label: '类别',
    getValue: () => item.get('category') ?? '',
    setValue: (value: string) => modeling.updateModdleProperties(element, item, { category: value || undefined }),
    getOptions: () => options(CATEGORY_LABELS, '（请选择）'),
  });
}

/** Required and optional materials as two lists, one name per line (fashen:material elements underneath). */
function materialsEntry(required: boolean) {
  return function MaterialsEntry({ element, id, item }: ItemProps) {
    const modeling = useService<Modeling>('modeling');
    const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
    const debounce = useService('debounceInput');
    const all = () => (item.get('materials') ?? []) as ModdleObject[];
    const isRequired = (m: ModdleObject) => m.get('required') === 'true';
    return h(TextAreaEntry, {
      element,
      id,
      label: required ? '必须提交的送审材料' : '可选的送审材料',
      description: '每行一项',
      debounce,
      rows: 3,
      getValue: () =>
        all()
          .filter((m) => isRequired(m) === required)
          .map((m) => m.get('name'))
          .join('\n'),
      setValue: (value: string) => {
        const names = [
          ...new Set(
            (value ?? '')
              .split('\n')
              .map((n) => n.trim())
              .filter(Boolean),
          ),
        ];
        const kept = all().filter((m) => isRequired(m) !== required);
        const listed = names.map((name) =>
          bpmnFactory.create('fashen:Material', { name, required: required ? 'true' : 'false' }),
        );
        modeling.updateModdleProperties(element, item, {
          materials: required ? [...listed, ...kept] : [...kept, ...listed],
        });
      },
    });
  };
}

/** Structured legal bases (fashen:basis), one per line as 《产品质量法》第四十九条; deploy checks them against the law library. */
function BasesEntry({ element, id, item }: ItemProps) {
  const modeling = useService<Modeling>('modeling');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  const debounce = useService('debounceInput');
  const all = () => (item.get('bases') ?? []) as ModdleObject[];
  return h(TextAreaEntry, {
    element,
    id,
    label: '法律依据（结构化）',
    description: '每行一条，如《产品质量法》第四十九条第一款；检查和部署时按法律法规库核对',
    debounce,
    rows: 2,
    getValue: () =>
      all()
        .map((b) => `《${b.get('law') ?? ''}》${b.get('article') ?? ''}`)
        .join('\n'),
    setValue: (value: string) => {
      const bases = (value ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => {
          const m = /^《([^》]+)》\s*(.*)$/.exec(line);
          return m ? { law: m[1].trim(), article: m[2].trim() } : { law: line, article: '' };
        });
      modeling.updateModdleProperties(element, item, {
        bases: bases.map((b) => bpmnFactory.create('fashen:Basis', b)),
      });
    },
  });
}

/** 须集体讨论: the chief's decision becomes the leaders' collective discussion; deploy checks the flow has it. */
function CollectiveEntry({ element, id, item }: ItemProps) {
  const modeling = useService<Modeling>('modeling');
  return h(CheckboxEntry, {
    element,
    id,
    label: '须负责人集体讨论决定',
    description: '情节复杂或者重大违法行为（行政处罚法第五十七条第二款）；流程须有集体讨论分支和负责人会签',
    getValue: () => item.get('collectiveDiscussion') === 'true',
    setValue: (value: boolean) =>
      modeling.updateModdleProperties(element, item, { collectiveDiscussion: value ? 'true' : undefined }),
  });
}

const CodeEntry = itemText('code', '编号', '目录内唯一，如 CF-01', (v) => (v.trim() ? null : '编号不能为空'));
const NameEntry = itemText('name', '事项名称');
const BasisEntry = itemText('basis', '法律依据');
const DaysEntry = itemText('reviewWorkingDays', '审核时限（工作日）', '1–60 个工作日', (v) =>
  v.trim() ? integerProblem(v, 1, 60) : '须填写审核时限',
);
const RequiredMaterials = materialsEntry(true);
const OptionalMaterials = materialsEntry(false);

/** The process's catalogue of major decisions (目录清单), item by item, each with its "try it" box. */
export function catalogueGroup(element: Shape, injector: { get(name: string): unknown }) {
  const bo = businessObject(element);
  const catalogue = extensionOf(bo, 'fashen:Catalogue');
  const items = (catalogue?.get('items') ?? []) as ModdleObject[];
  const modeling = injector.get('modeling') as Modeling;
  const bpmnFactory = injector.get('bpmnFactory') as BpmnFactory;
  return {
    id: 'fashen-catalogue',
    label: '目录清单（重大执法决定）',
    add: (event: Event) => {
      event.stopPropagation();
      const target = ensureExtension(element, bo, 'fashen:Catalogue', { modeling, bpmnFactory });
      const count = (target.get('items') ?? []).length + 1;
      const item = bpmnFactory.create('fashen:CatalogueItem', {
        code: `NEW-${String(count).padStart(2, '0')}`,
        category: 'penalty',
        name: '新事项',
        reviewWorkingDays: '5',
        condition: 'category = "penalty" and amount >= 50000',
      });
      modeling.updateModdleProperties(element, target, { items: [...(target.get('items') ?? []), item] });
    },
    items: items.map((item, index) => {
      const prefix = `fashen-catalogue-${index}`;
      const entry = (suffix: string, component: unknown, isEdited: unknown) => ({
        id: `${prefix}-${suffix}`,
        element,
        item,
        component,
        isEdited,
      });
      return {
        id: prefix,
        label: `${item.get('code') ?? ''} ${item.get('name') ?? ''}`.trim() || `事项 ${index + 1}`,
        entries: [
          entry('code', CodeEntry, isTextFieldEntryEdited),
          entry('category', CategoryEntry, isSelectEntryEdited),
          entry('name', NameEntry, isTextFieldEntryEdited),
          entry('condition', ConditionEntry, isTextAreaEntryEdited),
          entry('try', TryItEntry, () => false),
          entry('days', DaysEntry, isTextFieldEntryEdited),
          entry('collective', CollectiveEntry, isCheckboxEntryEdited),
          entry('basis', BasisEntry, isTextFieldEntryEdited),
          entry('bases', BasesEntry, isTextAreaEntryEdited),
          entry('required', RequiredMaterials, isTextAreaEntryEdited),
          entry('optional', OptionalMaterials, isTextAreaEntryEdited),
        ],
        autoFocusEntry: `${prefix}-code`,
        remove: () => modeling.updateModdleProperties(element, catalogue!, { items: items.filter((i) => i !== item) }),
      };
    }),
  };
}
