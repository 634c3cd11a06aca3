import BpmnModeler from 'bpmn-js/lib/Modeler';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import lintModule from 'bpmn-js-bpmnlint';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import simulationModule from 'bpmn-js-token-simulation';
import simulationViewerModule from 'bpmn-js-token-simulation/lib/viewer';
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/assets/properties-panel.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import 'bpmn-js-token-simulation/assets/css/bpmn-js-token-simulation.css';
import fashenModdle from '../../workflows/fashen-moddle.json';
import { packedConfig } from '../../workflows/lint/index.js';
import translateModule from '../i18n/index.js';
import fashenPropertiesModule from '../properties/index.js';
import simulationTranslateModule from '../simulation/i18n.js';
import camundaTemplates from '../templates/camunda-templates-moddle.json';
import templatesModule, { templates } from '../templates/index.js';

export type Editor = BpmnModeler | NavigatedViewer;

// Of Camunda's extension only what element templates record (camunda:modelerTemplate): Camunda's full schema
// clashes with ours (both give user tasks an `assignee`). Other vendor parts of an imported Camunda Modeler file
// are kept as they are, and the lint rules name each one Fashen cannot run.
const moddleExtensions = { fashen: fashenModdle, camunda: camundaTemplates };

/** The editor of a department's legal admin: modeling, properties, templates, linting, simulation, in Chinese. */
export function createModeler(container: HTMLElement, propertiesParent: HTMLElement, services: readonly string[]) {
  return new BpmnModeler({
    container,
    moddleExtensions,
    additionalModules: [
      translateModule,
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      fashenPropertiesModule,
      templatesModule,
      lintModule,
      simulationModule,
      simulationTranslateModule,
    ],
    propertiesPanel: { parent: propertiesParent },
    elementTemplates: templates,
    linting: { bpmnlint: packedConfig, active: true },
    fashen: { services },
  });
}

/** What everyone else gets: the flow to look at and walk through, nothing to change. */
export function createViewer(container: HTMLElement) {
  return new NavigatedViewer({
    container,
    moddleExtensions,
    additionalModules: [translateModule, simulationViewerModule, simulationTranslateModule],
  });
}

export const isModeler = (editor: Editor): editor is BpmnModeler => editor instanceof BpmnModeler;
