import { readFile } from 'node:fs/promises';
import { brotliDecompressSync } from 'node:zlib';
import { type ParsedArticle, type ParsedLaw, parseLawMarkdown } from './parse.js';

export interface LibraryFile {
  path: string;
  sha256: string;
  text: string;
}

export type LawLevel =
  | 'law'
  | 'administrative_regulation'
  | 'judicial_interpretation'
  | 'department_rule'
  | 'case'
  | 'other';

/** One version of one law, ready to load: files of the same title and date (民法典's 编) are merged. */
export interface LibraryVersion {
  title: string;
  category: string;
  level: LawLevel;
  files: string[];
  sha256: string;
  parsed: ParsedLaw;
  articles: ParsedArticle[];
}

const LEVELS: Record<string, LawLevel> = {
  行政法规: 'administrative_regulation',
  司法解释: 'judicial_interpretation',
  部门规章: 'department_rule',
  案例: 'case',
  其他: 'other',
};

export const levelOf = (category: string): LawLevel => LEVELS[category] ?? 'law';

export const LIBRARY_FILE = new URL('./library.jsonl.br', import.meta.url);

export async function readLibrary(file: URL | string = LIBRARY_FILE): Promise<LibraryFile[]> {
  const text = brotliDecompressSync(await readFile(file)).toString('utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LibraryFile);
}

export interface LibraryParse {
  versions: LibraryVersion[];
  failures: { path: string; reason: string }[];
}

/** Parses every file; a file without a title or without any 第N条 is reported, not loaded. */
export function parseLibrary(files: LibraryFile[]): LibraryParse {
  const failures: LibraryParse['failures'] = [];
  const byKey = new Map<string, LibraryVersion>();
  for (const f of files) {
    const fileDate = /\((\d{4}-\d{2}-\d{2})\)\.md$/.exec(f.path)?.[1] ?? null;
    let parsed: ParsedLaw;
    try {
      parsed = parseLawMarkdown(f.text, fileDate);
    } catch (err) {
      failures.push({ path: f.path, reason: (err as Error).message });
      continue;
    }
    if (!parsed.articles.length) {
      failures.push({ path: f.path, reason: '没有条文（无“第N条”段落，如案例、标准或说明文字）' });
      continue;
    }
    if (!parsed.versionDate) {
      failures.push({ path: f.path, reason: '序言和文件名都没有日期，无法确定版本' });
      continue;
    }
    const category = f.path.split('/')[0];
    const key = `${parsed.title}\u0000${parsed.versionDate}`;
    const same = byKey.get(key);
    if (same) {
      same.files.push(f.path);
      same.sha256 = `${same.sha256.slice(0, 32)}${f.sha256.slice(0, 32)}`;
      same.articles.push(...parsed.articles);
      if (!same.parsed.effectiveDate || (parsed.effectiveDate && parsed.effectiveSource !== 'assumed'))
        same.parsed = { ...same.parsed, effectiveDate: parsed.effectiveDate, effectiveSource: parsed.effectiveSource };
      continue;
    }
    byKey.set(key, {
      title: parsed.title,
      category,
      level: levelOf(category),
      files: [f.path],
      sha256: f.sha256,
      parsed,
      articles: [...parsed.articles],
    });
  }
  for (const v of byKey.values()) {
    // A number printed twice (a text error in the source): the first article keeps it.
    const seen = new Set<string>();
    v.articles = v.articles.filter((a) => !seen.has(`${a.number}.${a.sub}`) && seen.add(`${a.number}.${a.sub}`));
    v.articles.sort((a, b) => a.number - b.number || a.sub - b.sub);
  }
  return { versions: [...byKey.values()], failures };
}
