import type { FastifyPluginAsync } from 'fastify';
import { adminPages } from './admin/pages.js';
import { authPages } from './auth-pages.js';
import { casePages } from './cases/pages.js';
import { submitPages } from './cases/submit-pages.js';
import { transferPages } from './cases/transfer-pages.js';
import { certificatePages } from './certificate-pages.js';
import { dashboardPages } from './dashboard/legal-pages.js';
import { pointPages } from './dashboard/point-pages.js';
import { supervisorPages } from './dashboard/supervisor-pages.js';
import { floorPages } from './floor/floor-pages.js';
import { formPages } from './tasks/form-pages.js';
import { hintPages } from './tasks/hint-pages.js';
import { taskPages } from './tasks/list-pages.js';

/** Every page of the workbench, each group in its own file. */
export const workbenchPages: FastifyPluginAsync = async (app) => {
  await app.register(authPages);
  await app.register(taskPages);
  await app.register(dashboardPages);
  await app.register(pointPages);
  await app.register(supervisorPages);
  await app.register(floorPages);
  await app.register(adminPages);
  await app.register(casePages);
  await app.register(transferPages);
  await app.register(submitPages);
  await app.register(formPages);
  await app.register(hintPages);
  await app.register(certificatePages);
};
