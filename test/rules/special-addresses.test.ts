import { isLocalOrPrivateHost, isNonPublicAddress } from '../../rules/special-addresses';
import { issuerReachableFromAws, issuerUrlWarnings } from '../../rules/validation';

/** Each range at both of its edges, and the first address outside it, so no boundary drifts. */
describe('addresses API Gateway cannot reach (IANA special-purpose registries)', () => {
  test.each([
    ['0.0.0.0', '"this network"'],
    ['10.0.0.0', 'private 10/8, first'],
    ['10.255.255.255', 'private 10/8, last'],
    ['100.64.0.0', 'shared address space, first'],
    ['100.127.255.255', 'shared address space, last'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback, high'],
    ['169.254.169.254', 'link local (instance metadata)'],
    ['172.16.0.0', 'private 172.16/12, first'],
    ['172.31.255.255', 'private 172.16/12, last'],
    ['192.0.0.1', 'IETF protocol assignments'],
    ['192.0.2.10', 'TEST-NET-1'],
    ['192.88.99.1', '6to4 relay anycast'],
    ['192.168.1.1', 'private 192.168/16'],
    ['198.18.0.1', 'benchmarking, first /16'],
    ['198.19.255.255', 'benchmarking, second /16'],
    ['198.51.100.7', 'TEST-NET-2'],
    ['203.0.113.9', 'TEST-NET-3'],
    ['224.0.0.1', 'multicast, first'],
    ['239.255.255.250', 'multicast (SSDP)'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'limited broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback in URL brackets'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['64:ff9b:1::1', 'local-use translation'],
    ['100::1', 'discard-only'],
    ['2001:2::1', 'benchmarking'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation (2024)'],
    ['fc00::1', 'unique local, fc'],
    ['fd12:3456::1', 'unique local, fd'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local, last /16'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
  ])('%s (%s) is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
    expect(isLocalOrPrivateHost(address)).toBe(true);
  });

  test.each([
    ['9.255.255.255', 'just below 10/8'],
    ['11.0.0.0', 'just above 10/8'],
    ['100.63.255.255', 'just below shared space'],
    ['100.128.0.0', 'just above shared space'],
    ['172.15.255.255', 'just below 172.16/12'],
    ['172.32.0.0', 'just above 172.16/12'],
    ['192.0.1.1', 'between 192.0.0/24 and TEST-NET-1'],
    ['192.31.196.1', 'AS112, globally reachable'],
    ['192.169.0.1', 'just above 192.168/16'],
    ['198.17.255.255', 'just below benchmarking'],
    ['198.20.0.0', 'just above benchmarking'],
    ['223.255.255.255', 'just below multicast'],
    ['8.8.8.8', 'a public resolver'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
    ['2606:4700::1111', 'public IPv6'],
    ['64:ff9b::808:808', 'NAT64 of a public address'],
    ['2001:200::1', 'just above 2001::/23'],
    ['fbff::1', 'just below unique local'],
    ['fe00::1', 'between unique local and link-local'],
  ])('%s (%s) is public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
    expect(isLocalOrPrivateHost(address)).toBe(false);
  });

  test('a host name is not an address', () => {
    expect(isNonPublicAddress('localhost')).toBe(false);
  });
});

describe('special-use names', () => {
  test.each([
    'localhost',
    'LOCALHOST',
    'idp.localhost',
    'wso2.local',
    'wso2.local.',
    'idp.test',
    'x.invalid',
    'idp.example',
    'nas.home.arpa',
    'idp.corp.internal',
    'x.alt',
    'x.onion',
  ])('%s never resolves in public DNS', (host) => {
    expect(isLocalOrPrivateHost(host)).toBe(true);
  });

  test.each(['api.asgardeo.io', 'localhost.example.com', 'local.example.com', 'mytest', 'example.com', 'notlocal'])(
    '%s may be public',
    (host) => {
      expect(isLocalOrPrivateHost(host)).toBe(false);
    },
  );
});

describe('issuer URLs', () => {
  test('a benchmarking or multicast issuer is not reachable from AWS', () => {
    expect(issuerReachableFromAws('https://198.18.0.5/oauth2/token')).toBe(false);
    expect(issuerReachableFromAws('https://[ff02::1]/oauth2/token')).toBe(false);
    expect(issuerReachableFromAws('https://api.asgardeo.io/t/acme/oauth2/token')).toBe(true);
  });

  test('the warning names the host', () => {
    expect(issuerUrlWarnings('https://wso2.local/oauth2/token')).toEqual([
      'issuer host "wso2.local" is loopback or private: API Gateway fetches the issuer\'s keys over the ' +
        'public internet and will answer 401 to every request',
    ]);
  });
});

test('only brackets around the whole address are URL brackets: one inside makes it no address', () => {
  for (const text of ['1[27.0.0.1', '12]7.0.0.1', '[1[27.0.0.1]']) {
    expect([text, isNonPublicAddress(text)]).toEqual([text, false]);
  }
  for (const text of ['1[27.0.0.1', '12]7.0.0.1']) {
    expect([text, isLocalOrPrivateHost(text)]).toEqual([text, false]);
  }
});
