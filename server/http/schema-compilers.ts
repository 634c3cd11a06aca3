import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type ValidatorFactory = ReturnType<typeof AjvCompiler>;
type SerializerFactory = ReturnType<typeof SerializerSelector>;

/**
 * The compilers Fastify turns route schemas into validators and serializers with: its own defaults (Ajv through
 * @fastify/ajv-compiler, fast-json-stringify), each compiled function kept by the schema's content.
 *
 * Compiling the routes' schemas is most of what `app.ready()` costs (~0.7 s of ~1 s here). A process runs one app,
 * but the test suite builds one per test file, and most routes build their schemas when they are registered:
 * compilers shared by those apps compile each distinct schema once per process. What a compiled function does
 * depends only on the schema's JSON content, the external schemas and the options (TypeBox's symbol keys are not
 * read by either compiler), so the key is that content, within one pool per external schemas and options.
 */
export interface SchemaCompilers {
  buildValidator: ValidatorFactory;
  buildSerializer: SerializerFactory;
}

export function schemaCompilers(): SchemaCompilers {
  return {
    buildValidator: pooled(AjvCompiler()),
    buildSerializer: pooled(SerializerSelector()),
  };
}

/** The factory's compiler for each external schemas and options, each keeping what it compiled by content. */
function pooled<A extends unknown[], R extends { schema?: unknown }, F>(
  factory: (...args: A) => (route: R) => F,
): (...args: A) => (route: R) => F {
  const pools = new Map<string, (route: R) => F>();
  return (...args) => {
    const key = contentKey(args) ?? '';
    let compile = pools.get(key);
    if (!compile) {
      compile = byContent(factory(...args));
      pools.set(key, compile);
    }
    return compile;
  };
}

function byContent<R extends { schema?: unknown }, F>(compile: (route: R) => F): (route: R) => F {
  const done = new Map<string, F>();
  return (route) => {
    const key = typeof route.schema === 'object' ? contentKey(route.schema) : undefined;
    if (key === undefined) return compile(route);
    let fn = done.get(key);
    if (fn === undefined) {
      fn = compile(route);
      done.set(key, fn);
    }
    return fn;
  };
}

function contentKey(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined; // cyclic or a BigInt: compiled every time, as Fastify would
  }
}
