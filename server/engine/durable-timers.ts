/**
 * A stand-in for bpmn-elements' Timers that never schedules anything in this process. The engine registers
 * its timers here; the runtime persists them as rows and BullMQ jobs, and fires one by calling it back when
 * its job comes due. An engine recovered after its timer's due time fires the timer itself while resuming.
 * It also tells the engine's timers the time (ClockedTimerEventDefinition): the command's clock.
 */
export interface RegisteredTimer {
  elementId: string;
  executionId: string;
  timerType: string;
  expireAt: Date;
  /** For a `P<n>WD` timer: what its due time was counted from, and whether that count was provisional. */
  workingDays?: WorkingDayBasis;
  fire(): void;
}

export interface WorkingDayBasis {
  days: number;
  /** Shanghai civil date the working days are counted from (the day the timer started). */
  basisDate: string;
  provisional: boolean;
}

interface TimerOwner {
  id: string;
  executionId: string;
  timerType?: string;
  expireAt?: Date | string;
}

interface TimerRef {
  owner: TimerOwner | null;
  callback: (...args: unknown[]) => void;
  args: unknown[];
  delay: number;
}

export class DurableTimers {
  private readonly refs = new Set<TimerRef>();
  /** Working-day bases of the timers started in this run, by execution id (see timerExpressions). */
  readonly workingDays = new Map<string, WorkingDayBasis>();

  constructor(readonly now: () => Date = () => new Date()) {}

  register(owner: TimerOwner) {
    return {
      setTimeout: (callback: (...args: unknown[]) => void, delay: number, ...args: unknown[]) =>
        this.add(owner, callback, delay, args),
      clearTimeout: (ref: TimerRef) => this.clearTimeout(ref),
    };
  }

  setTimeout(callback: (...args: unknown[]) => void, delay: number, ...args: unknown[]): TimerRef {
    return this.add(null, callback, delay, args);
  }

  clearTimeout(ref: TimerRef | undefined): undefined {
    if (ref) this.refs.delete(ref);
    return undefined;
  }

  get executing(): TimerRef[] {
    return [...this.refs];
  }

  /** Timers of timer event definitions that are waiting now. */
  pending(): RegisteredTimer[] {
    const out: RegisteredTimer[] = [];
    for (const ref of this.refs) {
      const owner = ref.owner;
      if (!owner?.executionId) continue;
      out.push({
        elementId: owner.id,
        executionId: owner.executionId,
        timerType: owner.timerType ?? 'timeDuration',
        expireAt: owner.expireAt ? new Date(owner.expireAt) : new Date(this.now().getTime() + ref.delay),
        workingDays: this.workingDays.get(owner.executionId),
        fire: () => {
          this.refs.delete(ref);
          ref.callback(...ref.args);
        },
      });
    }
    return out;
  }

  private add(owner: TimerOwner | null, callback: TimerRef['callback'], delay: number, args: unknown[]): TimerRef {
    const ref = { owner, callback, args, delay };
    this.refs.add(ref);
    return ref;
  }
}
