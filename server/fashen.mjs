#!/usr/bin/env node
// The `fashen` command. Runs the compiled service (server/build.mjs compiles it into dist/app/<hash>/ when the
// sources changed, in about a second), so that a start does not compile TypeScript. If compiling fails, it says so
// in one line and runs the TypeScript sources through tsx instead. FASHEN_FROM_SOURCE=1 always runs the sources.
import { pathToFileURL } from 'node:url';

let entry;
if (process.env.FASHEN_FROM_SOURCE !== '1') {
  try {
    const { ensureBuild } = await import('./build.mjs');
    const { dir } = await ensureBuild();
    entry = pathToFileURL(`${dir}/server/cli.js`).href;
  } catch (err) {
    console.error(`fashen: 编译失败，改为直接运行 TypeScript 源码（启动较慢）: ${err?.message ?? err}`);
  }
}
if (entry) {
  process.setSourceMapsEnabled(true);
  await import(entry);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli.ts');
}
