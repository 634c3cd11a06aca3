import type { FastifyPluginAsync } from 'fastify';
import { countConflicts, countPoolMembers } from '../../cases/reads.js';
import type { Database } from '../../database/connect.js';
import { countActiveUsers, countDepartments, countUsers } from '../../identity/directory.js';
import { departmentStaffing } from '../dashboard/stats-queries.js';
import { adminCalendarPages } from './calendar-pages.js';
import { adminDepartmentPages } from './department-pages.js';
import { adminPoolPages } from './pool-pages.js';
import { adminSealPages } from './seal-pages.js';
import { ADMIN_HEAD, adminTabs } from './tabs.js';
import { adminUnitPages } from './unit-pages.js';
import { adminUserPages } from './user-pages.js';

/** Counts for the administration overview. */
async function adminOverview(db: Database) {
  const [departments, users, activeUsers, pool, conflicts] = await Promise.all([
    countDepartments(db),
    countUsers(db),
    countActiveUsers(db),
    countPoolMembers(db),
    countConflicts(db),
  ]);
  return { departments, users, activeUsers, pool, conflicts };
}

/** 系统管理 (admin only): departments, users and roles, the reviewer pool, conflicts, the working calendar. */
export const adminPages: FastifyPluginAsync = async (app) => {
  app.get('/admin', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    await app.calendar.calendarFor(app.db);
    const [counts, staffing] = await Promise.all([adminOverview(app.db), departmentStaffing(app.db)]);
    const agencies = staffing.filter((s) => s.kind === 'agency');
    const years = app.calendar.listYears();
    return app.renderPage(
      reply,
      'admin.hbs',
      {
        title: '系统管理',
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin'),
        counts,
        agencies: agencies.length,
        staffingFailing: agencies.filter((s) => s.state === 'fail').length,
        staffingUnknown: agencies.filter((s) => s.state === 'unknown').length,
        latestYear: years.at(-1)?.year ?? null,
        calendarWarning: app.calendar.missingNextYearWarning(app.clock.now()),
      },
      actor,
    );
  });

  await app.register(adminDepartmentPages);
  await app.register(adminUnitPages);
  await app.register(adminSealPages);
  await app.register(adminUserPages);
  await app.register(adminPoolPages);
  await app.register(adminCalendarPages);
};
