import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, IdParams } from '../http/schemas.js';
import { departmentFlowchart } from './flowchart.js';
import type { FlowchartRenderer } from './render.js';

/** The flowchart of each department's deployed flow, for the publicity portal (执法流程图，事前公开). */
export const flowchartRoutes: FastifyPluginAsyncTypebox<{ renderer: FlowchartRenderer }> = async (app, opts) => {
  app.get(
    '/api/departments/:id/flowchart.svg',
    {
      // Procedures and flowcharts are disclosed before enforcement (事前公开): no login.
      config: { access: 'public' },
      schema: {
        tags: ['流程建模'],
        summary: '执法机关已部署流程的流程图（SVG，供公示平台使用）',
        params: IdParams,
        querystring: Type.Object({
          processKey: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,99}$', default: 'legal_review' }),
          version: Type.Optional(Type.Integer({ minimum: 1, description: '省略时为最新部署版本' })),
        }),
        produces: ['image/svg+xml'],
        response: {
          200: { description: 'SVG 流程图', content: { 'image/svg+xml': { schema: Type.String() } } },
          ...errors(400, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const { svg, version } = await departmentFlowchart(app.db, opts.renderer, {
        departmentId: request.params.id,
        processKey: request.query.processKey,
        version: request.query.version,
      });
      return (
        reply
          .type('image/svg+xml; charset=utf-8')
          // Opened on its own, an SVG is a document: it must not run anything.
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
          .header('x-content-type-options', 'nosniff')
          .header('x-flowchart-version', String(version))
          .header(
            'cache-control',
            request.query.version ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
          )
          .send(svg)
      );
    },
  );
};
