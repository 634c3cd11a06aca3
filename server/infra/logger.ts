import { createRequire } from 'node:module';
import type { FastifyBaseLogger } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import type { Config } from '../config.js';

export type LogFormat = 'pretty' | 'json';

/**
 * LOG_FORMAT=auto (the default): readable lines for a person at a terminal (stdout is a TTY and NODE_ENV is
 * not production), one JSON object a line for everything else (a log collector, a pipe, production).
 * LOG_FORMAT=pretty or json decides it outright.
 */
export function decideLogFormat(
  setting: Config['LOG_FORMAT'],
  env: { isTTY: boolean; nodeEnv: string | undefined },
): LogFormat {
  if (setting !== 'auto') return setting;
  return env.isTTY && env.nodeEnv !== 'production' ? 'pretty' : 'json';
}

type PrettyFactory = (opts: Record<string, unknown>) => DestinationStream;

/** pino-pretty is a development dependency: a production install (`npm ci --omit=dev`) has none. */
function loadPinoPretty(): PrettyFactory | null {
  try {
    const mod = createRequire(import.meta.url)('pino-pretty') as PrettyFactory | { default: PrettyFactory };
    return typeof mod === 'function' ? mod : mod.default;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null;
    throw err;
  }
}

export interface LoggerOptions {
  /** Where lines go (stdout unless a test says otherwise). */
  destination?: NodeJS.WritableStream;
  isTTY?: boolean;
  nodeEnv?: string;
  loadPretty?: () => PrettyFactory | null;
}

/** The process's one logger, in the format LOG_FORMAT and the terminal call for. */
export function createLogger(
  config: { LOG_LEVEL: string; LOG_FORMAT: Config['LOG_FORMAT'] },
  o: LoggerOptions = {},
): FastifyBaseLogger {
  const out = o.destination ?? process.stdout;
  const format = decideLogFormat(config.LOG_FORMAT, {
    isTTY: o.isTTY ?? Boolean((out as NodeJS.WriteStream).isTTY),
    nodeEnv: o.nodeEnv ?? process.env.NODE_ENV,
  });
  const options = { level: config.LOG_LEVEL };
  if (format === 'pretty') {
    const pretty = (o.loadPretty ?? loadPinoPretty)();
    if (pretty) {
      const colorize = Boolean((out as NodeJS.WriteStream).isTTY);
      return pino(
        options,
        pretty({ destination: out, colorize, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname' }),
      ) as FastifyBaseLogger;
    }
    const log = pino(options, out as DestinationStream) as FastifyBaseLogger;
    log.warn('LOG_FORMAT asks for readable logs but pino-pretty is not installed: logging JSON');
    return log;
  }
  return pino(options, out as DestinationStream) as FastifyBaseLogger;
}
