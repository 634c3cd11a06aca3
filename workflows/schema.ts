import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Namespace of Fashen's BPMN extension (user task roles, forms, deadlines, service names). */
export const FASHEN_NS = 'http://fashen.gov.cn/schema/bpmn/1.0';

/** The moddle descriptor of the extension, for bpmn-moddle / bpmn-engine `moddleOptions`. */
export const fashenModdle: Record<string, unknown> = require('./fashen-moddle.json');

export const moddleOptions = { fashen: fashenModdle };
