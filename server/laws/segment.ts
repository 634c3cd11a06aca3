import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import fp from 'fastify-plugin';

/** jieba's dictionary file, read on first use: importing `@node-rs/jieba/dict.js` reads it (and the unused idf, 12 MB in all) at start. */
const dictionaryPath = () => createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');

/** Chinese word segmentation for search: jieba's search mode (words and their sub-words), lower-cased. */
export interface Segmenter {
  tokens(text: string): string[];
  /** Space-joined tokens for a 'simple' tsvector. */
  join(text: string): string;
}

/**
 * A segmenter whose dictionary is loaded on first use. Each loaded dictionary holds about 40 MB outside the
 * JavaScript heap, so a process shares one (app.segmenter) rather than one per route module.
 */
export function createSegmenter(): Segmenter {
  let jieba: Jieba | undefined;
  const loaded = () => {
    jieba ??= Jieba.withDict(readFileSync(dictionaryPath()));
    return jieba;
  };
  const tokens = (text: string) =>
    loaded()
      .cutForSearch(text, true)
      .map((t) => t.trim().toLowerCase())
      .filter((t) => t && /[\p{L}\p{N}]/u.test(t));
  return { tokens, join: (text) => tokens(text).join(' ') };
}

/** The name a citation may use: without 《》, the 中华人民共和国 prefix and spaces. */
export function shortTitle(title: string): string {
  return title
    .replace(/[《》\s\u3000]/g, '')
    .replace(/^中华人民共和国/, '')
    .replace(/[（(]\d{4}[^）)]*[）)]$/, '');
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The process's one segmenter (search, suggestions, similar cases, hints). */
    segmenter: Segmenter;
  }
}

export const segmenterPlugin = fp(
  async (app) => {
    app.decorate('segmenter', createSegmenter());
  },
  { name: 'segmenter' },
);
