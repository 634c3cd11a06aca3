import { Group, ListGroup } from '@bpmn-io/properties-panel';
import { catalogueGroup } from './catalogue.js';
import { conditionEntries } from './condition.js';
import { formGroup } from './form.js';
import { multiInstanceEntries } from './multi-instance.js';
import { serviceTaskEntries, userTaskEntries } from './user-task.js';
import type { Shape } from './util.js';

interface PanelGroup {
  id: string;
  label: string;
  component?: unknown;
  entries?: unknown[];
}

interface Injector {
  get(name: string): unknown;
}

/**
 * Fashen's part of the properties panel: who works on a user task and by when, its form, the service of a
 * service task, FEEL conditions on gateway branches, and the process's catalogue (目录清单).
 */
class FashenPropertiesProvider {
  static $inject = ['propertiesPanel', 'injector', 'config.fashen'];

  constructor(
    propertiesPanel: { registerProvider(priority: number, provider: unknown): void },
    private readonly injector: Injector,
    private readonly config: { services?: readonly string[] } = {},
  ) {
    // Last in line, so that it sees (and can drop) what the element templates module brings along.
    propertiesPanel.registerProvider(1, this);
  }

  getGroups(element: Shape) {
    return (all: PanelGroup[]) => {
      // The element templates module brings Camunda 7's groups (listeners, job execution, history cleanup …):
      // settings of another engine, which Fashen would refuse or ignore.
      // bpmn-js's own multi-instance group edits what Fashen refuses (cardinality, data inputs); the 会签 group
      // below edits the shape the server accepts.
      const groups = all.filter((g) => !g.id.startsWith('CamundaPlatform__') && g.id !== 'multiInstance');
      const add = (group: PanelGroup, after = 'general') => {
        const at = groups.findIndex((g) => g.id === after);
        groups.splice(at < 0 ? groups.length : at + 1, 0, group);
      };
      switch (element.type) {
        case 'bpmn:UserTask':
          add({
            id: 'fashen-task',
            label: '办理（步骤、角色与期限）',
            component: Group,
            entries: userTaskEntries(element),
          });
          add({ ...formGroup(element, this.injector), component: ListGroup }, 'fashen-task');
          add(
            { id: 'fashen-loop', label: '会签（多实例）', component: Group, entries: multiInstanceEntries(element) },
            'fashen-task',
          );
          break;
        case 'bpmn:ServiceTask':
          add({
            id: 'fashen-service',
            label: '服务',
            component: Group,
            entries: serviceTaskEntries(element, this.config.services ?? []),
          });
          break;
        case 'bpmn:SequenceFlow': {
          const entries = conditionEntries(element);
          if (entries.length > 0) add({ id: 'fashen-condition', label: '条件', component: Group, entries });
          break;
        }
        case 'bpmn:Process':
          add({ ...catalogueGroup(element, this.injector), component: ListGroup });
          break;
        default:
      }
      return groups;
    };
  }
}

export default {
  __init__: ['fashenPropertiesProvider'],
  fashenPropertiesProvider: ['type', FashenPropertiesProvider],
};
