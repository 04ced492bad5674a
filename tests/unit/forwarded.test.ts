import { describe, expect, it } from "vitest";
import {
  clientAddressFrom,
  forwardedChain,
  isTrustedProxy,
  normalizeAddress,
  parseTrustedProxies,
} from "@/lib/request/forwarded";

describe("trusted proxies", () => {
  it("trusts nobody by default, so a client's X-Forwarded-For names nobody", () => {
    const trust = parseTrustedProxies(undefined);
    expect(trust.kind).toBe("none");
    expect(clientAddressFrom(trust, "127.0.0.1", forwardedChain("203.0.113.7", null))).toBe("127.0.0.1");
  });

  it("takes the right-most address that is not a trusted proxy", () => {
    const trust = parseTrustedProxies("10.0.0.0/8, 192.168.1.7");
    // A client claims 1.1.1.1; the edge proxy 10.1.2.3 appended the real client, 198.51.100.4.
    const chain = forwardedChain("1.1.1.1, 198.51.100.4, 10.1.2.3", null);
    expect(clientAddressFrom(trust, "192.168.1.7", chain)).toBe("198.51.100.4");
    // From an address outside the list, the chain is not read at all.
    expect(clientAddressFrom(trust, "198.51.100.9", chain)).toBe("198.51.100.9");
  });

  it("counts hops when given a number", () => {
    const trust = parseTrustedProxies("1");
    expect(clientAddressFrom(trust, "10.0.0.2", forwardedChain("6.6.6.6, 198.51.100.4", null))).toBe(
      "198.51.100.4",
    );
    expect(clientAddressFrom(parseTrustedProxies("2"), "10.0.0.2", ["6.6.6.6", "198.51.100.4"])).toBe(
      "6.6.6.6",
    );
    expect(clientAddressFrom(trust, "10.0.0.2", [])).toBe("10.0.0.2");
  });

  it("matches IPv4 and IPv6 ranges, and IPv4 seen through a dual-stack socket", () => {
    const trust = parseTrustedProxies("172.16.0.0/12, fd00::/8, ::1");
    expect(isTrustedProxy(trust, "172.31.255.255")).toBe(true);
    expect(isTrustedProxy(trust, "172.32.0.1")).toBe(false);
    expect(isTrustedProxy(trust, "::ffff:172.20.1.1")).toBe(true);
    expect(isTrustedProxy(trust, "fd12:3456::1")).toBe(true);
    expect(isTrustedProxy(trust, "fe80::1")).toBe(false);
    expect(isTrustedProxy(trust, "::1")).toBe(true);
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
  });

  it("reads the Forwarded header's for= when there is no X-Forwarded-For", () => {
    expect(forwardedChain(null, 'for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711"')).toEqual([
      "192.0.2.60",
      "2001:db8:cafe::17",
    ]);
  });

  it("refuses a malformed setting instead of silently trusting nobody", () => {
    expect(() => parseTrustedProxies("10.0.0.0/40")).toThrow(/prefix length/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/not an IP address/);
  });
});
