// The catalogue's vocabulary (categories, case facts, items) is part of the BPMN extension: the modeler checks
// catalogue conditions against it as deploy does, so it is defined beside the shared BPMN rules.
export * from '../../workflows/lint/vocabulary.js';
