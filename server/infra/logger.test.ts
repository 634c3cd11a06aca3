import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, decideLogFormat } from './logger.js';

/** A destination that keeps what is written, as a terminal or a log collector would receive it. */
function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** pino-pretty writes through its own stream: wait until the line has arrived. */
async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setImmediate(r));
}

describe('which log format a process writes', () => {
  it.each([
    ['auto', true, undefined, 'pretty'],
    ['auto', true, 'development', 'pretty'],
    ['auto', true, 'production', 'json'],
    ['auto', false, undefined, 'json'],
    ['pretty', false, 'production', 'pretty'],
    ['json', true, undefined, 'json'],
  ] as const)('LOG_FORMAT=%s, TTY %s, NODE_ENV=%s → %s', (setting, isTTY, nodeEnv, expected) => {
    expect(decideLogFormat(setting, { isTTY, nodeEnv })).toBe(expected);
  });
});

describe('the logger', () => {
  it('writes readable lines when pretty, not JSON', async () => {
    const out = sink();
    const log = createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' }, { destination: out.stream });
    log.info({ caseId: 'c-1' }, '案件已送审');
    await until(() => out.text().includes('案件已送审'));
    const line = out.text();
    expect(line).toMatch(/INFO.*案件已送审/);
    expect(line).toContain('caseId: "c-1"');
    expect(() => JSON.parse(line.split('\n')[0])).toThrow();
  });

  it('writes one JSON object a line for a collector', () => {
    const out = sink();
    const log = createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'auto' }, { destination: out.stream, isTTY: false });
    log.info({ caseId: 'c-1' }, '案件已送审');
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, msg: '案件已送审', caseId: 'c-1' });
  });

  it('falls back to JSON with one notice when pino-pretty is not installed (a production install)', () => {
    const out = sink();
    const log = createLogger(
      { LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' },
      { destination: out.stream, loadPretty: () => null },
    );
    log.info('服务已启动');
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 40, msg: expect.stringContaining('pino-pretty is not installed') });
    expect(lines[1]).toMatchObject({ msg: '服务已启动' });
  });
});

describe('LOG_FORMAT in the configuration', () => {
  it('defaults to auto and refuses a format it does not know, naming the variable', async () => {
    const { loadConfig } = await import('../config.js');
    expect(loadConfig({}).LOG_FORMAT).toBe('auto');
    expect(loadConfig({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'loud' })).toThrow(/LOG_FORMAT/);
  });
});
