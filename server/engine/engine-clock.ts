import { getDate, ISOInterval } from '@0dep/piso';
import { TimerEventDefinition } from 'bpmn-elements';

// bpmn-elements' timer internals are untyped JavaScript; these are the parts this file relies on.
// biome-ignore lint/suspicious/noExplicitAny: engine API surface
type Any = any;

/** The engine's timers service (DurableTimers) tells the time of the command the engine runs in. */
function nowOf(environment: Any): Date {
  const timers = environment?.timers;
  return typeof timers?.now === 'function' ? timers.now() : new Date();
}

const Base = TimerEventDefinition as unknown as new (activity: Any, eventDefinition: Any) => Any;

/**
 * bpmn-elements' TimerEventDefinition, with "now" taken from the command's clock instead of the wall clock:
 * a timer's expiry is counted from it, and a recovered timer whose stored expiry has passed by it fires while
 * resuming. In production the clock is the wall clock; tests (and a recount of working days) set it.
 * Mirrors bpmn-elements 17's `parse`; `_getTimers` is kept and only its timeout is taken from the clock.
 */
export class ClockedTimerEventDefinition extends Base {
  parse(timerType: string, value: string): { expireAt?: Date; repeat?: number; delay?: number } {
    const now = nowOf(this.environment);
    switch (timerType) {
      case 'timeCycle':
      case 'timeDuration': {
        const parsed = new ISOInterval(value).parse();
        const expireAt = parsed.getExpireAt(now, now);
        return { expireAt, repeat: parsed.repeat || undefined, delay: expireAt.getTime() - now.getTime() };
      }
      case 'timeDate': {
        const expireAt = getDate(value);
        return { expireAt, delay: now.getTime() - expireAt.getTime() };
      }
      default:
        return {};
    }
  }

  _getTimers(executeMessage: Any): Any {
    const result = super._getTimers(executeMessage);
    if (result.expireAt instanceof Date) result.timeout = result.expireAt.getTime() - nowOf(this.environment).getTime();
    return result;
  }
}
