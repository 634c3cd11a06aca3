// pg ships no types for its lib/utils; prepareValue is how it turns a parameter into what it sends.
declare module 'pg/lib/utils.js' {
  const utils: { prepareValue(value: unknown): string | Buffer | null };
  export default utils;
}
