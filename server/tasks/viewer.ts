import type { TaskViewer } from '../engine/reads.js';
import { type Actor, readsAllDepartments } from '../identity/service.js';

/** A signed-in user as the engine's task lists see them: supervisors and admins read every department's. */
export function taskViewer(actor: Actor): TaskViewer {
  return { ...actor, allDepartments: readsAllDepartments(actor) };
}
