import { describe, expect, it } from 'vitest';
import { inlineParameters } from './deferred-begin.js';

describe('writing parameters in as literals', () => {
  it('writes each parameter as the quoted text pg would send, and NULL', () => {
    expect(inlineParameters('select * from t where a = $1 and b = $2::integer and c is $3', ['x', 5, null])).toBe(
      "select * from t where a = 'x' and b = '5'::integer and c is NULL",
    );
    expect(inlineParameters('select $1, $2, $10', [true, 7n, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'ten'])).toBe(
      "select 'true', '7', 'ten'",
    );
  });

  it('escapes quotes and backslashes', () => {
    expect(inlineParameters('select $1', ["it's"])).toBe("select 'it''s'");
    expect(inlineParameters('select $1', ['a\\b'])).toBe("select  E'a\\\\b'");
  });

  it('leaves $n inside strings, quoted names and comments alone', () => {
    expect(inlineParameters(`select '$1', "$1", E'\\'$1' -- $1\n, /* $1 */ $1`, ['v'])).toBe(
      `select '$1', "$1", E'\\'$1' -- $1\n, /* $1 */ 'v'`,
    );
    expect(inlineParameters("select 'it''s $1', $1", ['v'])).toBe("select 'it''s $1', 'v'");
  });

  it('refuses what it cannot rewrite safely', () => {
    expect(inlineParameters('select $1', [new Date()])).toBeUndefined();
    expect(inlineParameters('select $1', [{ a: 1 }])).toBeUndefined();
    expect(inlineParameters('select $1', [Buffer.from('x')])).toBeUndefined();
    expect(inlineParameters('select $$ body $$', [])).toBeUndefined();
    expect(inlineParameters('select $2', ['only one'])).toBeUndefined();
    expect(inlineParameters("select 'unterminated", [])).toBeUndefined();
  });
});
