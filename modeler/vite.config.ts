import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The browser modeler, served by the service at /modeler from dist/modeler (git-ignored). */
export default defineConfig({
  root,
  base: '/modeler/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/modeler/', import.meta.url)),
    emptyOutDir: true,
    // Minifying 2 MB of bpmn-js costs most of the build; the service compresses nothing either way.
    minify: false,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        render: fileURLToPath(new URL('render.html', import.meta.url)),
      },
    },
  },
});
