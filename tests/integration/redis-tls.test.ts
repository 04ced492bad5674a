import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { checkHealth } from "@/lib/health";
import { digestOf } from "@/lib/models/digest";
import { readFieldPage } from "@/lib/models/fields";
import { applyChanges } from "@/lib/models/write";
import { closeAllClients, getClient, listConnections } from "@/lib/redis/registry";
import { startRedisServer, type RedisServerHandle } from "@/scripts/lib/redis-server";
import { makeTestCertificates, type TestCertificates } from "@/tests/helpers/tls";

// Redis over TLS for real: certificates made with openssl, redis-server serving TLS only. The
// console connects with the CA (and a client certificate where the server asks for one); a server
// certificate from another CA, or for another name, is refused with a message naming the
// connection — never retried without verification. Skipping verification is only ever explicit,
// and then the connection is listed as unverified.

let certs: TestCertificates;
let server: RedisServerHandle;
let mutual: RedisServerHandle;

beforeAll(async () => {
  certs = makeTestCertificates();
  const files = { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile, caFile: certs.caFile };
  [server, mutual] = await Promise.all([
    startRedisServer({ tls: files }),
    startRedisServer({
      tls: {
        ...files,
        authClients: true,
        clientCertFile: certs.clientCertFile,
        clientKeyFile: certs.clientKeyFile,
      },
    }),
  ]);
  const at = (handle: RedisServerHandle) => `rediss://127.0.0.1:${handle.port}`;
  process.env.CONSOLE_CONNECTIONS = JSON.stringify([
    { id: "tls", type: "standalone", url: at(server), tls: { caFile: certs.caFile } },
    {
      id: "mtls",
      type: "standalone",
      url: at(mutual),
      tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile },
    },
    { id: "mtls-no-cert", type: "standalone", url: at(mutual), tls: { caFile: certs.caFile } },
    { id: "other-ca", type: "standalone", url: at(server), tls: { caFile: certs.otherCaFile } },
    {
      id: "wrong-name",
      type: "standalone",
      url: at(server),
      tls: { caFile: certs.caFile, servername: "redis.elsewhere.example" },
    },
    { id: "system-cas", type: "standalone", url: at(server) },
    { id: "unverified", type: "standalone", url: at(server), tls: { rejectUnauthorized: false } },
  ]);
});

afterAll(async () => {
  await closeAllClients();
  delete process.env.CONSOLE_CONNECTIONS;
  await Promise.all([server?.stop(), mutual?.stop()]);
  certs?.remove();
});

async function editModel(connectionId: string): Promise<unknown> {
  const key = Buffer.from(`model:tls_${connectionId}_${process.pid}:v1`);
  const write = { field: Buffer.from("coefficient"), expected: null, value: Buffer.from("1.5") };
  const result = await applyChanges(connectionId, key, [write]);
  const page = await readFieldPage(connectionId, key);
  expect(page.fields.map((f) => [f.name, f.digest])).toEqual([["coefficient", digestOf(Buffer.from("1.5"))]]);
  return result;
}

/** What the console answers, twice, for a connection that must not connect (no second try without checks). */
async function refusals(connectionId: string): Promise<string[]> {
  const messages: string[] = [];
  for (let i = 0; i < 2; i++) {
    const error = await readFieldPage(connectionId, Buffer.from("model:never:v1")).catch((e: unknown) => e);
    expect(isAppError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ code: "UNAVAILABLE" });
    messages.push((error as Error).message);
  }
  expect(getClient(connectionId).status).not.toBe("ready");
  return messages;
}

describe("a TLS connection", () => {
  it("connects with the CA, reads and edits a model", async () => {
    expect(await editModel("tls")).toMatchObject({ ok: true });
  });

  it("shows a client certificate when the server asks for one (tls-auth-clients yes)", async () => {
    expect(await editModel("mtls")).toMatchObject({ ok: true });
  });

  it("without the client certificate the server's refusal says which settings to give", async () => {
    for (const message of await refusals("mtls-no-cert"))
      expect(message).toMatch(
        /^Connection "mtls-no-cert".*client certificate.*\(tls\.certFile and tls\.keyFile\)/,
      );
  });

  it("refuses a server certificate from another CA, naming the connection", async () => {
    for (const message of await refusals("other-ca"))
      expect(message).toBe(
        `Connection "other-ca" refused the server's TLS certificate: it is not signed by a CA the ` +
          "connection trusts (tls.caFile). Nothing was sent: the console never falls back to an unverified connection.",
      );
  });

  it("refuses a certificate issued for another name than tls.servername", async () => {
    for (const message of await refusals("wrong-name"))
      expect(message).toMatch(
        /^Connection "wrong-name" refused the server's TLS certificate: it is issued for another host name/,
      );
  });

  it("a rediss:// URL without a CA checks against the system's CAs, and refuses a private one", async () => {
    for (const message of await refusals("system-cas"))
      expect(message).toMatch(/^Connection "system-cas" refused the server's TLS certificate/);
  });

  it("skips verification only when rejectUnauthorized: false is written, and says so", async () => {
    expect(await editModel("unverified")).toMatchObject({ ok: true });
    expect(Object.fromEntries(listConnections().map((c) => [c.id, c.tls]))).toEqual({
      tls: "verified",
      mtls: "verified",
      "mtls-no-cert": "verified",
      "other-ca": "verified",
      "wrong-name": "verified",
      "system-cas": "verified",
      unverified: "unverified",
    });
  });

  it("the health check names the refused connections and passes the good ones", async () => {
    const report = await checkHealth();
    expect(Object.fromEntries(report.connections.map((c) => [c.id, c.ok]))).toEqual({
      tls: true,
      mtls: true,
      "mtls-no-cert": false,
      "other-ca": false,
      "wrong-name": false,
      "system-cas": false,
      unverified: true,
    });
  });
});
