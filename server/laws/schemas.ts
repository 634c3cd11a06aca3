import { Type } from 'typebox';

const Str = Type.String();
const NullStr = Type.Union([Type.String(), Type.Null()]);
export const Paragraph = Type.Object({ text: Type.String({ minLength: 1 }), items: Type.Array(Type.String()) });

export const SearchResult = Type.Object({
  total: Type.Integer(),
  items: Type.Array(Type.Object({ id: Str, title: Str, category: Str, level: Str, rank: Type.Number() })),
});

export const Version = Type.Object({
  id: Str,
  versionDate: NullStr,
  effectiveOn: NullStr,
  effectiveSource: Type.Optional(Str),
  sourceFiles: Type.Optional(Type.Array(Str)),
  repealedOn: Type.Optional(NullStr),
  repealNote: Type.Optional(NullStr),
});

export const RepealEntry = Type.Object({
  versionId: NullStr,
  versionDate: NullStr,
  repealedOn: NullStr,
  note: Str,
  changedBy: NullStr,
  changedAt: Str,
});

export const LawView = Type.Object({
  id: Str,
  title: Str,
  short_title: Str,
  category: Str,
  level: Str,
  repealedOn: NullStr,
  repealNote: Type.Optional(NullStr),
  versions: Type.Array(Version),
  repeals: Type.Optional(Type.Array(RepealEntry, { description: '废止标记的设定和撤销记录' })),
});

export const ArticleView = Type.Object({
  id: Str,
  number: Type.Integer(),
  sub: Type.Integer(),
  label: Str,
  chapter: NullStr,
  paragraphs: Type.Array(Paragraph),
  text: Str,
  revision: Type.Integer(),
  version: Version,
  history: Type.Array(
    Type.Object({ revision: Type.Integer(), text: Str, note: NullStr, changedBy: NullStr, changedAt: Str }),
  ),
});

export const Correction = Type.Object({ id: Str, revision: Type.Integer(), text: Str });
export const Upload = Type.Object({ versionId: Str, title: Str, versionDate: Str, articles: Type.Integer() });
