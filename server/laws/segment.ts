import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/** Chinese word segmentation for search: jieba's search mode (words and their sub-words), lower-cased. */
export interface Segmenter {
  tokens(text: string): string[];
  /** Space-joined tokens for a 'simple' tsvector. */
  join(text: string): string;
}

export function createSegmenter(): Segmenter {
  const jieba = Jieba.withDict(dict);
  const tokens = (text: string) =>
    jieba
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
