// The client address of a request: the socket's peer, or, when that peer is a trusted proxy,
// the nearest X-Forwarded-For entry that is not a trusted proxy itself (entries further left
// were written by the client and prove nothing). Used by the failure limiter and the log.
import { BlockList, isIP } from 'node:net';

export type ClientAddressOf = (
  peer: string | undefined,
  forwardedFor: string | undefined,
) => string;

export function createClientAddress(trusted: readonly string[]): ClientAddressOf {
  if (trusted.length === 0) return (peer) => peer ?? 'unknown';
  const list = new BlockList();
  for (const entry of trusted) {
    const [address = '', bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  const isTrusted = (address: string): boolean => {
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (peer, forwardedFor) => {
    if (peer === undefined) return 'unknown';
    if (!isTrusted(peer) || forwardedFor === undefined) return unmapped(peer);
    const hops = forwardedFor.split(',').map((hop) => hop.trim());
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (isIP(unmapped(hop)) === 0) return unmapped(peer); // garbage: trust nothing beyond
      if (!isTrusted(hop)) return unmapped(hop);
    }
    return unmapped(hops[0] ?? peer);
  };
}

function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? match[1]! : address;
}
