// What other capabilities read of the record: the latest signed checkpoint (the portal publishes it).
export { latestCheckpoint } from './queries.js';
