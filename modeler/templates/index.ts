import { ElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import type { BpmnFactory, ModdleObject, Modeling, Shape } from '../properties/util.js';
import templates from './fashen-templates.json';
import { INTEGER_ATTRIBUTES, TEMPLATE_FORMS } from './forms.js';

export { templates };

interface Template {
  id: string;
  name: string;
  description: string;
  elementType: { value: string };
}

interface Services {
  elementTemplates: { applyTemplate(element: Shape, template: Template): Shape };
  modeling: Modeling & { createShape(shape: unknown, position: { x: number; y: number }, parent: unknown): Shape };
  bpmnFactory: BpmnFactory;
  elementFactory: { createShape(attrs: { type: string }): unknown };
  autoPlace: { append(source: Shape, shape: unknown): Shape };
  selection: { select(element: Shape): void };
  canvas: { getRootElement(): unknown; viewbox(): { x: number; y: number; width: number; height: number } };
  popupMenu: {
    registerProvider(id: string, provider: unknown): void;
    open(
      target: unknown,
      id: string,
      position: { x: number; y: number; cursor?: { x: number; y: number } },
      options?: unknown,
    ): void;
  };
  contextPad: { getPad(element: Shape): { html: HTMLElement } };
  eventBus: { on(event: string, callback: (e: any) => void): void };
  translate: (text: string) => string;
}

type Mode = 'append' | 'create' | 'apply';

const ICONS: Record<string, string> = {
  'bpmn:StartEvent': 'bpmn-icon-start-event-none',
  'bpmn:UserTask': 'bpmn-icon-user-task',
};

/**
 * Fashen's building blocks (送审、受理审查、法制审核、补正、异议复核、协调、负责人决定) as element templates: appended
 * from the context pad or created from the palette, a step arrives with its role, name and form filled in.
 */
class TemplateMenu {
  static $inject = [
    'elementTemplates',
    'modeling',
    'bpmnFactory',
    'elementFactory',
    'autoPlace',
    'selection',
    'canvas',
    'popupMenu',
    'contextPad',
    'eventBus',
    'palette',
  ];

  private readonly s: Omit<Services, 'translate'>;
  /** What choosing a template does: append after the target, create on the canvas, or apply to the target. */
  private mode: Mode = 'apply';

  constructor(...args: unknown[]) {
    const names = TemplateMenu.$inject;
    this.s = Object.fromEntries(names.map((n, i) => [n, args[i]])) as unknown as Omit<Services, 'translate'>;
    this.s.popupMenu.registerProvider('fashen-templates', this);
    this.s.eventBus.on('elementTemplates.select', (e) => this.open(e.element, 'apply'));
    (args[8] as { registerProvider(p: unknown): void }).registerProvider(this.contextPadProvider());
    (args[10] as { registerProvider(p: unknown): void }).registerProvider(this.paletteProvider());
  }

  /** The menu for a target: an element to append to or re-template, or the canvas root to create on. */
  getPopupMenuEntries(target: Shape) {
    const entries: Record<string, unknown> = {};
    for (const template of templates as Template[]) {
      entries[`fashen-template-${template.id}`] = {
        label: template.name,
        description: template.description,
        className: ICONS[template.elementType.value] ?? 'bpmn-icon-task',
        action: () => this.use(target, template),
      };
    }
    return entries;
  }

  open(target: Shape, mode: Mode, position?: { x: number; y: number }) {
    this.mode = mode;
    let at = position;
    if (!at) {
      const pad = this.s.contextPad.getPad(target)?.html.getBoundingClientRect();
      at = pad ? { x: pad.left, y: pad.bottom + 5 } : { x: 200, y: 200 };
    }
    this.s.popupMenu.open(
      target,
      'fashen-templates',
      { ...at, cursor: at },
      { title: '从模板选择步骤', search: true, width: 320 },
    );
  }

  private use(target: Shape, template: Template) {
    const { modeling, elementFactory, autoPlace, canvas, elementTemplates, selection } = this.s;
    let element: Shape;
    if (this.mode === 'create') {
      const box = canvas.viewbox();
      const shape = elementFactory.createShape({ type: template.elementType.value });
      element = modeling.createShape(
        shape,
        { x: box.x + box.width / 2, y: box.y + box.height / 2 },
        canvas.getRootElement(),
      );
    } else if (this.mode === 'append') {
      element = autoPlace.append(target, elementFactory.createShape({ type: template.elementType.value }));
    } else {
      element = target;
    }
    element = elementTemplates.applyTemplate(element, template);
    this.completeTemplate(element, template);
    selection.select(element);
  }

  /** What a C7 template cannot express: the step's form, and integer attributes stored as numbers. */
  private completeTemplate(element: Shape, template: Template) {
    const { modeling, bpmnFactory } = this.s;
    const bo = element.businessObject as ModdleObject;
    for (const attribute of INTEGER_ATTRIBUTES) {
      const value = bo.get(attribute);
      if (typeof value === 'string' && /^\d+$/.test(value))
        modeling.updateProperties(element, { [attribute]: Number(value) });
    }
    const fields = TEMPLATE_FORMS[template.id];
    if (!fields || element.type !== 'bpmn:UserTask') return;
    const form = bpmnFactory.create('fashen:Form', {
      fields: fields.map((f) => bpmnFactory.create('fashen:FormField', { ...f })),
    });
    const others = ((bo.get('extensionElements')?.get('values') ?? []) as ModdleObject[]).filter(
      (v) => v.$type !== 'fashen:Form',
    );
    modeling.updateProperties(element, {
      extensionElements: bpmnFactory.create('bpmn:ExtensionElements', { values: [...others, form] }),
    });
  }

  private contextPadProvider() {
    return {
      getContextPadEntries: (element: Shape) => {
        const business = element.businessObject;
        if (!business || element.type === 'label' || /EndEvent|SequenceFlow|Process|Participant/.test(element.type)) {
          return {};
        }
        return {
          'append.fashen-template': {
            group: 'model',
            className: 'bpmn-icon-user-task fm-pad-template',
            title: '从模板追加步骤',
            action: {
              click: (_event: Event, target: Shape) => this.open(target, 'append'),
            },
          },
        };
      },
    };
  }

  private paletteProvider() {
    return {
      getPaletteEntries: () => ({
        'create.fashen-template': {
          group: 'activity',
          className: 'bpmn-icon-user-task fm-palette-template',
          title: '从模板创建步骤（送审、法制审核、负责人决定……）',
          action: {
            click: (event: MouseEvent) =>
              this.open(this.s.canvas.getRootElement() as Shape, 'create', { x: event.clientX + 20, y: event.clientY }),
          },
        },
      }),
    };
  }
}

export default {
  __depends__: [ElementTemplatesPropertiesProviderModule],
  __init__: ['fashenTemplateMenu'],
  fashenTemplateMenu: ['type', TemplateMenu],
};
