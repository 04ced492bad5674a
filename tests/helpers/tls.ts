import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Certificates made with openssl for one test file, in a temp folder: a CA, a server certificate it
// signs for localhost and 127.0.0.1, a client certificate it signs, and a second, unrelated CA.
// EC keys keep generation to a few tens of milliseconds.

export interface TestCertificates {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** A CA that signed none of the above. */
  otherCaFile: string;
  remove: () => void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

function makeCa(dir: string, name: string): void {
  openssl(
    dir,
    ["req", "-x509", "-new", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.crt`].concat([
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
    ]),
  );
}

function makeSigned(dir: string, name: string, ca: string, extensions: string): void {
  openssl(dir, [
    "req",
    "-new",
    ...EC_KEY,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.csr`,
    "-subj",
    `/CN=${name}`,
  ]);
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    ...["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`],
    ...["-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`],
  ]);
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), "test-tls-"));
  makeCa(dir, "test-ca");
  makeCa(dir, "other-ca");
  makeSigned(
    dir,
    "server",
    "test-ca",
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
  );
  makeSigned(dir, "console", "test-ca", "extendedKeyUsage=clientAuth\n");
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    caFile: file("test-ca.crt"),
    serverCertFile: file("server.crt"),
    serverKeyFile: file("server.key"),
    clientCertFile: file("console.crt"),
    clientKeyFile: file("console.key"),
    otherCaFile: file("other-ca.crt"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
