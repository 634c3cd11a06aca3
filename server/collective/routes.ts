import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, IdParams, stdErrors, Uuid } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import { leaderList, mayEditLeaders, mayReadLeaders, saveLeaderList } from './leaders.js';
import { MAX_LEADERS } from './rules.js';

const Leader = Type.Object({
  userId: Uuid,
  name: Type.String({ description: '姓名' }),
  position: Type.String({ description: '职务' }),
  presiding: Type.Boolean({ description: '正职负责人或者主持工作的负责人（审批移送涉嫌犯罪案件）' }),
});
const LeaderList = Type.Object({
  leaders: Type.Array(Leader, { description: '机关负责人（领导班子）名单，按排序' }),
  quorum: Type.Integer({ description: '集体讨论须出席的最少人数（过半数）；名单为空时为 0' }),
});

/** 领导班子名单: who a collective discussion (集体讨论) of the agency may convene, and how many must attend. */
export const collectiveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const view = async (departmentId: string) => {
    const { leaders, quorum } = await leaderList(app.db, departmentId);
    return {
      leaders: leaders.map(({ userId, name, position, presiding }) => ({ userId, name, position, presiding })),
      quorum,
    };
  };

  app.get(
    '/api/departments/:id/leaders',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['集体讨论'],
        summary: '机关负责人名单（集体讨论的出席范围和过半数要求）',
        params: IdParams,
        response: { 200: LeaderList, ...errors(401, 403) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (!mayReadLeaders(actor, request.params.id)) {
        throw new AppError(403, 'FORBIDDEN', '只能查看本机关的负责人名单');
      }
      return view(request.params.id);
    },
  );

  app.put(
    '/api/departments/:id/leaders',
    {
      config: { access: ['admin', 'legal_admin'] },
      schema: {
        tags: ['集体讨论'],
        summary: '设置机关负责人名单（整体替换；系统管理员或本机关法制机构管理员）',
        params: IdParams,
        body: Type.Object({
          leaders: Type.Array(
            Type.Object({
              userId: Uuid,
              position: Type.String({
                minLength: 1,
                maxLength: 50,
                pattern: '\\S',
                description: '职务，如 局长、副局长',
              }),
              presiding: Type.Optional(
                Type.Boolean({
                  description:
                    '是否为本机关正职负责人或者主持工作的负责人（至多一人）：移送涉嫌犯罪案件由其审批（《行政执法机关移送涉嫌犯罪案件的规定》第五条）',
                }),
              ),
            }),
            { maxItems: MAX_LEADERS, title: '机关负责人名单', description: `负责人，按排序；最多 ${MAX_LEADERS} 人` },
          ),
        }),
        response: { 200: LeaderList, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      const departmentId = request.params.id;
      const actor = actorOf(request);
      if (!mayEditLeaders(actor, departmentId)) {
        throw new AppError(403, 'FORBIDDEN', '只有系统管理员或本机关法制机构管理员可以设置负责人名单');
      }
      await saveLeaderList(app.db, departmentId, request.body.leaders, actor.id);
      return view(departmentId);
    },
  );
};
