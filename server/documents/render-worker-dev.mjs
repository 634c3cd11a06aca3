// Entry of the template render thread when running from the TypeScript sources (development, tests): loads the
// worker through tsx, as server/fashen.mjs does for the process. A build runs render-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');
