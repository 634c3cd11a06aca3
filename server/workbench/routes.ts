import type { FastifyPluginAsync } from 'fastify';
import { adminPages } from './admin-pages.js';
import { authPages } from './auth-pages.js';
import { casePages } from './case-pages.js';
import { certificatePages } from './certificate-pages.js';
import { dashboardPages } from './dashboard-pages.js';
import { formPages } from './form-pages.js';
import { submitPages } from './submit-pages.js';
import { supervisorPages } from './supervisor-pages.js';
import { taskPages } from './task-pages.js';

/** Every page of the workbench, each group in its own file. */
export const workbenchPages: FastifyPluginAsync = async (app) => {
  await app.register(authPages);
  await app.register(taskPages);
  await app.register(dashboardPages);
  await app.register(supervisorPages);
  await app.register(adminPages);
  await app.register(casePages);
  await app.register(submitPages);
  await app.register(formPages);
  await app.register(certificatePages);
};
