/** A bench's numeric option, `--name <n>`, or its default when not given. */
export function numberArg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 1 ? Number(process.argv[i + 1]) : dflt;
}
