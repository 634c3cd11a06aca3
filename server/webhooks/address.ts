import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Ranges no subscriber may be at unless the operator lists them (WEBHOOK_ALLOWED_NETWORKS). */
const REFUSED: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

export class AddressRefused extends Error {
  override name = 'AddressRefused';
}

export interface AddressPolicy {
  /** The address to connect to for `host`, resolved now and checked; throws AddressRefused. */
  resolve(host: string): Promise<{ address: string; family: 4 | 6 }>;
}

function blockList(entries: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [net, prefix, type] of entries) list.addSubnet(net, prefix, type);
  return list;
}

/** `a.b.c.d/n` or an IPv6 range, as WEBHOOK_ALLOWED_NETWORKS lists them (a bare address is a /32 or /128). */
function parseNetworks(list: string | undefined): [string, number, 'ipv4' | 'ipv6'][] {
  if (!list) return [];
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [net, bits] = s.split('/');
      const type = isIP(net) === 6 ? 'ipv6' : 'ipv4';
      return [net, bits ? Number(bits) : type === 'ipv6' ? 128 : 32, type];
    });
}

/** An IPv4 address written as IPv6 (::ffff:a.b.c.d) is checked as the IPv4 address it is. */
function normalise(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], type: 'ipv4' };
  return { address, type: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/**
 * The check on every address a delivery connects to: the host name is resolved here and each of its addresses
 * checked (not just the name, so a name pointing inside is refused too), and the connection then goes to the
 * address checked, so a second DNS answer cannot change it (rebinding).
 */
export function addressPolicy(allowedNetworks: string | undefined): AddressPolicy {
  const refused = blockList(REFUSED);
  const allowed = blockList(parseNetworks(allowedNetworks));
  const permitted = (raw: string) => {
    const { address, type } = normalise(raw);
    return allowed.check(address, type) || !refused.check(address, type);
  };
  return {
    async resolve(host) {
      const bare = host.replace(/^\[(.*)\]$/, '$1');
      const literal = isIP(bare);
      const addresses = literal
        ? [{ address: bare, family: literal }]
        : await lookup(bare, { all: true, verbatim: true }).catch(() => {
            throw new AddressRefused(`无法解析主机名 ${bare}`);
          });
      if (addresses.length === 0) throw new AddressRefused(`无法解析主机名 ${bare}`);
      const bad = addresses.find((a) => !permitted(a.address));
      if (bad) throw new AddressRefused(`地址 ${bad.address} 属于内网、回环或链路本地地址段，未获准调用`);
      const first = addresses[0];
      return { address: first.address, family: first.family === 6 ? 6 : 4 };
    },
  };
}
