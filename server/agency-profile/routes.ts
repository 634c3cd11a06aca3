import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TObject, Type } from 'typebox';
import { AppError } from '../http/errors.js';
import { errors, IdParams, stdErrors } from '../http/schemas.js';
import { PUBLIC_CACHE } from '../http/view-engine.js';
import { actorOf } from '../identity/access.js';
import * as identity from '../identity/directory.js';
import { importSection, MAX_IMPORT_BYTES, maxImportRows } from './import.js';
import { headerLine, IMPORT_SPECS, omittableNote } from './import-specs.js';
import { agencyDisclosures } from './public.js';
import {
  ImportResultSchema,
  InspectionItemInput,
  InspectionItemSchema,
  ItemParams,
  importQuery,
  PowerInput,
  PowerPage,
  PowerQuery,
  PowerSchema,
  PublicProfileSchema,
  RemediesInput,
  RemediesSchema,
  ServiceGuideInput,
  ServiceGuideSchema,
} from './schemas.js';
import { INSPECTION_ITEMS, type ListSection, POWERS, SERVICE_GUIDES } from './sections.js';
import {
  assertCanEdit,
  createSectionItem,
  deleteSectionItem,
  getRemedies,
  getSectionItem,
  listSectionItems,
  saveRemedies,
  searchPowers,
  updateSectionItem,
} from './service.js';

const MAINTAINERS = ['legal_admin', 'admin'] as const;
const TAGS = ['事前公开（职权、救济、指南、抽查）'];
type App = Parameters<FastifyPluginAsyncTypebox>[0];

/**
 * Create, read, update and delete of one list section (powers, service guides, inspection items), and its CSV
 * import (`…/import`, body text/csv, in the section's format of import-specs.ts). The section's service
 * functions return exactly the shape of `Item`; the generic schema cannot prove it to the type checker, hence
 * the casts of the results.
 */
function sectionRoutes(app: App, section: ListSection, Item: TObject, Input: TObject) {
  const ctx = () => app.agencyProfile;
  const base = `/api/departments/:id/${section.slug}`;
  if (section !== POWERS) {
    app.get(
      base,
      {
        config: { access: MAINTAINERS },
        schema: {
          tags: TAGS,
          summary: `本机关的${section.title}（法制机构维护用）`,
          params: IdParams,
          response: { 200: Type.Array(Item), ...stdErrors, ...errors(404) },
        },
      },
      async (request) => {
        await assertCanEdit(app.db, actorOf(request), request.params.id);
        return (await listSectionItems(ctx(), section, request.params.id)) as never;
      },
    );
  }
  app.post(
    base,
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: `新增${section.noun}`,
        params: IdParams,
        body: Input,
        response: { 201: Item, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      const item = await createSectionItem(ctx(), actorOf(request), section, request.params.id, request.body);
      return reply.status(201).send(item as never);
    },
  );
  app.get(
    `${base}/:itemId`,
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: `${section.noun}详情`,
        params: ItemParams,
        response: { 200: Item, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      await assertCanEdit(app.db, actorOf(request), request.params.id);
      return (await getSectionItem(ctx(), section, request.params.id, request.params.itemId)) as never;
    },
  );
  app.put(
    `${base}/:itemId`,
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: `修改${section.noun}（排序号省略时不变）`,
        params: ItemParams,
        body: Input,
        response: { 200: Item, ...stdErrors, ...errors(404, 409) },
      },
    },
    async (request) => {
      const { id, itemId } = request.params;
      return (await updateSectionItem(ctx(), actorOf(request), section, id, itemId, request.body)) as never;
    },
  );
  app.delete(
    `${base}/:itemId`,
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: `删除${section.noun}`,
        params: ItemParams,
        response: { 204: Type.Null(), ...stdErrors, ...errors(404) },
      },
    },
    async (request, reply) => {
      await deleteSectionItem(ctx(), actorOf(request), section, request.params.id, request.params.itemId);
      return reply.status(204).send(null);
    },
  );
  const spec = IMPORT_SPECS[section.section];
  const note = omittableNote(spec);
  app.post(
    `${base}/import`,
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: `以 CSV 导入${section.title}（UTF-8，表头“${headerLine(spec)}”${note ? `，${note}` : ''}；全部成功或全部不导入，错误注明行号；不超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB、${maxImportRows(spec)} 项）`,
        params: IdParams,
        querystring: importQuery(spec.keyHeader),
        consumes: ['text/csv'],
        body: Type.Unsafe<Buffer>({ description: 'CSV 文件内容（text/csv，UTF-8，可带 BOM）' }),
        response: { 200: ImportResultSchema, ...stdErrors, ...errors(404, 409, 413, 415) },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body)) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 text/csv 上传');
      const actor = actorOf(request);
      return importSection(ctx(), actor, spec, request.params.id, request.body, request.query.mode);
    },
  );
}

/**
 * The legal unit's API for what its agency discloses before enforcement (事前公开), and the public read of it.
 * A legal admin maintains their own department; a system admin any department.
 */
export const agencyProfileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.get(
    '/api/departments/:id/powers',
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: '本机关的职权事项清单，可按类别和编码/名称筛选，分页',
        params: IdParams,
        querystring: PowerQuery,
        response: { 200: PowerPage, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      await assertCanEdit(app.db, actorOf(request), request.params.id);
      const { q, ...rest } = request.query;
      return searchPowers(app.agencyProfile, request.params.id, { ...rest, q: q?.trim() || undefined });
    },
  );
  sectionRoutes(app, POWERS, PowerSchema, PowerInput);
  sectionRoutes(app, SERVICE_GUIDES, ServiceGuideSchema, ServiceGuideInput);
  sectionRoutes(app, INSPECTION_ITEMS, InspectionItemSchema, InspectionItemInput);

  app.get(
    '/api/departments/:id/remedies',
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: '本机关的救济途径（行政复议、行政诉讼）',
        params: IdParams,
        response: { 200: RemediesSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => {
      await assertCanEdit(app.db, actorOf(request), request.params.id);
      const remedies = await getRemedies(app.agencyProfile, request.params.id);
      if (!remedies) throw new AppError(404, 'NOT_FOUND', '本机关尚未填写救济途径');
      return remedies;
    },
  );

  app.put(
    '/api/departments/:id/remedies',
    {
      config: { access: MAINTAINERS },
      schema: {
        tags: TAGS,
        summary: '填写或修改本机关的救济途径',
        params: IdParams,
        body: RemediesInput,
        response: { 200: RemediesSchema, ...stdErrors, ...errors(404) },
      },
    },
    async (request) => saveRemedies(app.agencyProfile, actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/public/agencies/:id/profile',
    {
      config: { access: 'public' },
      schema: {
        tags: ['公示平台（公开）'],
        summary: '执法机关事前公开：职权事项清单、救济途径、办事指南、随机抽查事项清单、执法流程图',
        params: IdParams,
        response: { 200: PublicProfileSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const agency = await identity.findDepartmentById(app.db, request.params.id);
      if (agency?.kind !== 'agency') throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
      const { powerGroups: _groups, ...disclosures } = await agencyDisclosures(app.db, agency.id);
      reply.header('cache-control', PUBLIC_CACHE);
      return { agency: { id: agency.id, code: agency.code, name: agency.name }, ...disclosures };
    },
  );
};
