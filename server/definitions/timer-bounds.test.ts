import { describe, expect, it } from 'vitest';
import { withTimer } from './testing/bpmn-doc.js';
import { opts, refusal } from './testing/refusal.js';
import { validateBpmn } from './validate.js';

const NOW = Date.parse('2026-12-05T09:00:00+08:00');
const checks = { ...opts, timers: { now: NOW } };
const cycle = (value: string) => withTimer(`<bpmn:timeCycle>${value}</bpmn:timeCycle>`);
const duration = (value: string) => withTimer(`<bpmn:timeDuration>${value}</bpmn:timeDuration>`);
const date = (value: string) => withTimer(`<bpmn:timeDate>${value}</bpmn:timeDate>`);

describe('timers keep to a sane window at deploy', () => {
  it.each([
    ['an unbounded cycle every second', cycle('R/PT1S'), '重复次数'],
    ['an unbounded cycle every day', cycle('R/P1D'), '重复次数'],
    ['a cycle faster than the minimum period', cycle('R5/PT10M'), '周期过短（至少 1 小时）'],
    ['a cycle whose whole run exceeds ten years', cycle('R100000/PT1H'), '总时长超过 10 年'],
    ['a cycle starting in the past', cycle('R3/2020-01-01T00:00:00Z/P1D'), '日期已过'],
    ['a duration of 9999 years', duration('P9999Y'), '时长超过 10 年'],
    ['a date in 1970', date('1970-01-01T00:00:00Z'), '日期已过'],
    ['a date more than ten years ahead', date('2040-01-01T00:00:00+08:00'), '日期距今超过 10 年'],
  ])('refuses %s, naming the element', async (_name, xml, says) => {
    const { error } = await refusal(xml, checks);
    expect(error.code).toBe('BPMN_INVALID');
    expect(error.message).toContain('boundaryEvent（id=Timer_1）');
    expect(error.message).toContain(says);
  });

  it.each([
    ['a bounded hourly cycle', cycle('R3/PT1H')],
    ['a bounded daily cycle from a start date ahead', cycle('R10/2027-01-01T09:00:00+08:00/P1D')],
    ['a working-day cycle', cycle('R3/P1WD')],
    ['a duration of five years', duration('P5Y')],
    ['a working-day duration', duration('P15WD')],
    ['a date next year', date('2027-06-01T09:00:00+08:00')],
  ])('accepts %s', async (_name, xml) => {
    await expect(validateBpmn(xml, checks)).resolves.toMatchObject({ processKey: expect.any(String) });
  });

  it('takes the minimum cycle period from the configuration (TIMER_MIN_CYCLE_SECONDS)', async () => {
    const xml = cycle('R6/PT10M');
    await expect(validateBpmn(xml, { ...checks, timers: { now: NOW, minCycleSeconds: 600 } })).resolves.toBeTruthy();
    const { error } = await refusal(xml, { ...checks, timers: { now: NOW, minCycleSeconds: 3600 } });
    expect(error.message).toContain('周期过短');
  });
});
