import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { probe } from './tz-probe.js';

const run = promisify(execFile);
const probeFile = fileURLToPath(new URL('./tz-probe.ts', import.meta.url));

async function probeUnder(tz: string) {
  const { stdout } = await run('npx', ['tsx', probeFile], { env: { ...process.env, TZ: tz }, timeout: 30_000 });
  return JSON.parse(stdout);
}

describe('the process time zone does not matter', () => {
  it.each([
    ['UTC', 0],
    ['America/New_York', 240],
    ['Pacific/Kiritimati', -840],
    ['Asia/Shanghai', -480],
  ])('computes the same deadlines with TZ=%s', async (tz, offset) => {
    const { localOffset, ...child } = await probeUnder(tz);
    expect(child.tz).toBe(tz);
    expect(localOffset).toBe(offset);
    const here = JSON.parse(JSON.stringify(probe()));
    expect({ ...child, tz: null }).toEqual({ ...here, tz: null });
  });

  it('gives the expected answers under TZ=America/New_York (checked against the 2026 notice)', async () => {
    const child = await probeUnder('America/New_York');
    const national = child.deadlines.find((d: { from: string; n: number }) => d.from === '2026-09-30' && d.n === 5);
    expect(national).toMatchObject({ due: '2026-10-13', dueAt: '2026-10-13T15:59:59.000Z', provisional: false });
    expect(child.shanghaiDates).toEqual(['2026-10-13', '2026-10-14', '2026-03-08', '2026-11-01']);
    expect(child.remaining.slice(0, 2)).toEqual([0, -1]);
  });
});
