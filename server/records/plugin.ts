import fp from 'fastify-plugin';
import type { RecordsContext } from './context.js';

declare module 'fastify' {
  interface FastifyInstance {
    records: RecordsContext;
  }
}

/** Opens the keystore and the system SM2 key (generating it on first start) for the whole app. */
export const recordsPlugin = fp<{ records: RecordsContext }>(
  async (app, { records: ctx }) => {
    if (ctx.keystore.secretSource === 'file') {
      app.log.warn('KEYSTORE_SECRET 未配置：私钥以 DATA_DIR/keys/keystore.secret 中的随机密钥加密保存，生产环境请配置');
    }
    app.log.info({ keyId: ctx.systemKey.keyId, source: ctx.systemKey.source }, 'record system key loaded');
    app.decorate('records', ctx);
  },
  { name: 'records', dependencies: ['config', 'database'] },
);
