/** How personal data looks to a consumer without the entitlement (有条件使用): enough to tell records apart. */
export const maskName = (s: string) => {
  const chars = [...s];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
};

export const maskIdCode = (s: string) =>
  s.length >= 10 ? s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4) : '*'.repeat(s.length);

export const maskAddress = (s: string) => `${[...s].slice(0, 6).join('')}****`;

const ID_NUMBER = /(?<![0-9A-Za-z])\d{6}(\d{8})\d{3}[\dXx](?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;

/**
 * Free text for a consumer without the entitlement: the natural-person party's name and ID number, and any
 * resident ID number or mobile number in it, masked.
 */
export function scrubText(text: string, party: { name: string; idCode: string } | null): string {
  let out = text;
  if (party?.name) out = out.split(party.name).join(maskName(party.name));
  if (party?.idCode) out = out.split(party.idCode).join(maskIdCode(party.idCode));
  return out
    .replace(ID_NUMBER, (m) => maskIdCode(m))
    .replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`);
}
