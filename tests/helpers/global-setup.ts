import { ensureTemplate } from './database.js';

export default async function setup(): Promise<void> {
  await ensureTemplate();
}
