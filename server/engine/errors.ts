import { DomainError } from '../infra/errors.js';

/** A command the engine refuses (instance or task not there, not in a state for it): nothing changed. */
export class EngineError extends DomainError {
  override name = 'EngineError';
}

/** The command no longer applies (the task was completed, the timer handled): a worker drops it quietly. */
export class StaleCommand extends EngineError {
  constructor(code: string, message: string) {
    super('conflict', code, message);
  }
}

/** A timer's due time moved (its working days were counted again) after its job was picked up. */
export class TimerNotDue extends EngineError {
  constructor(readonly dueAt: Date) {
    super('conflict', 'CONFLICT', '计时器尚未到期');
  }
}
