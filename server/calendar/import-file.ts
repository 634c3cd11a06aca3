import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { Value } from 'typebox/value';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import { findUserForLogin } from '../identity/directory.js';
import { ScheduleJsonSchema } from './schemas.js';
import { type CalendarService, type CalendarYearView, parseSchedule } from './service.js';

/**
 * `fashen calendar load <year> <file>`: stores a year's schedule from a JSON file (the PUT body's
 * shape) or a CSV file (`type,date_or_range,name` lines), recorded as loaded by `actorUsername`.
 */
export async function importScheduleFile(
  db: Kysely<DB> | Transaction<DB>,
  calendar: CalendarService,
  year: number,
  filePath: string,
  actorUsername?: string,
): Promise<CalendarYearView> {
  const text = await readFile(filePath, 'utf8');
  const isJson = extname(filePath).toLowerCase() === '.json' || /^\uFEFF?\s*\{/.test(text);
  let actorId: string | null = null;
  if (actorUsername) {
    const user = await findUserForLogin(db, actorUsername);
    if (!user) throw new AppError(400, 'VALIDATION_FAILED', `用户 ${actorUsername} 不存在`);
    actorId = user.id;
  }
  if (!isJson) return calendar.putYear(db, year, parseSchedule(text), actorId);

  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new AppError(400, 'VALIDATION_FAILED', `${filePath} 不是合法的 JSON: ${(err as Error).message}`);
  }
  if (!Value.Check(ScheduleJsonSchema, json)) {
    const problems = [...Value.Errors(ScheduleJsonSchema, json)].map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new AppError(400, 'VALIDATION_FAILED', `${filePath} 的格式不符合日历 JSON`, { problems });
  }
  if (json.year !== undefined && json.year !== year) {
    throw new AppError(400, 'VALIDATION_FAILED', `文件中的年份 ${json.year} 与命令参数 ${year} 不一致`);
  }
  return calendar.putYear(db, year, parseSchedule(json), actorId);
}
