import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { type SchemaCompilers, schemaCompilers } from './schema-compilers.js';

const AJV = { customOptions: { coerceTypes: 'array' as const, useDefaults: true } };

/** An app whose route builds its schemas when it is registered, as Fashen's routes do. */
async function app(compilers: SchemaCompilers, maxLength = 4): Promise<FastifyInstance> {
  const a = Fastify({ ajv: AJV, schemaController: { compilersFactory: compilers } });
  a.post(
    '/echo',
    {
      schema: {
        body: Type.Object({ name: Type.String({ maxLength }), n: Type.Integer({ default: 7 }) }),
        response: { 200: Type.Object({ name: Type.String(), n: Type.Integer() }) },
      },
    },
    async (req) => ({ ...(req.body as object), secret: 'not in the schema' }),
  );
  await a.ready();
  return a;
}

/** A compiler factory that records every function its compilers hand to Fastify. */
function recording<A extends unknown[], R, F>(factory: (...args: A) => (route: R) => F, handed: unknown[]) {
  return (...args: A) => {
    const compile = factory(...args);
    return (route: R) => {
      const fn = compile(route);
      handed.push(fn);
      return fn;
    };
  };
}

/** The compilers, recording every function they hand to Fastify. */
function recorded(compilers: SchemaCompilers) {
  const handed = { validators: [] as unknown[], serializers: [] as unknown[] };
  const spy: SchemaCompilers = {
    buildValidator: recording(compilers.buildValidator, handed.validators),
    buildSerializer: recording(compilers.buildSerializer, handed.serializers),
  };
  return { spy, handed };
}

describe('shared schema compilers', () => {
  it('give a second app the functions the first compiled for the same schema content', async () => {
    const { spy, handed } = recorded(schemaCompilers());
    const first = await app(spy);
    const second = await app(spy);
    const third = await app(spy, 8);
    for (const fns of [handed.validators, handed.serializers]) {
      expect(fns).toHaveLength(3);
      expect(fns[1]).toBe(fns[0]);
    }
    expect(handed.validators[2]).not.toBe(handed.validators[0]);
    for (const a of [first, second, third]) await a.close();
  });

  it('validate, fill defaults and serialize in every app as Fastify’s own compilers do', async () => {
    const compilers = schemaCompilers();
    const apps = [await app(compilers), await app(compilers), await app(compilers, 8), await app({} as never)];
    const own = apps.pop() as FastifyInstance;
    for (const a of [...apps, own]) {
      const ok = await a.inject({ method: 'POST', url: '/echo', payload: { name: 'abc' } });
      expect(ok.json()).toEqual({ name: 'abc', n: 7 });
      const long = await a.inject({ method: 'POST', url: '/echo', payload: { name: 'abcdef' } });
      expect(long.statusCode).toBe(a === apps[2] ? 200 : 400);
    }
    for (const a of [...apps, own]) await a.close();
  });

  it('keep apps with different Ajv options apart', async () => {
    const compilers = schemaCompilers();
    const strict = Fastify({
      ajv: { customOptions: { coerceTypes: false } },
      schemaController: { compilersFactory: compilers },
    });
    const loose = Fastify({ ajv: AJV, schemaController: { compilersFactory: compilers } });
    for (const a of [strict, loose]) {
      a.get('/n', { schema: { querystring: Type.Object({ n: Type.Integer() }) } }, async (req) => req.query);
      await a.ready();
    }
    expect((await loose.inject({ url: '/n?n=3' })).json()).toEqual({ n: 3 });
    expect((await strict.inject({ url: '/n?n=3' })).statusCode).toBe(400);
    for (const a of [strict, loose]) await a.close();
  });
});
