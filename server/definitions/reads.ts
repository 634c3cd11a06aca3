// A deployed definition as other capabilities read it (e.g. the case page draws it).
export { findDefinitionById } from './queries.js';
