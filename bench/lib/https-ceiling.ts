/**
 * The HTTPS ceiling of this machine for the sign benchmark: one Node process per core, each answering
 * every request with a canned response the size and shape of a sign response, after reading and
 * parsing the body — no authentication, no store, no cryptography beyond TLS. No API server in Node
 * can answer faster on these cores, so it bounds what the target could reach. Prints its origin on
 * stdout once every process listens.
 */
import cluster from "node:cluster";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { cpus } from "node:os";
import { join } from "node:path";

const [dir, portArg] = process.argv.slice(2);
if (!dir) throw new Error("usage: https-ceiling DIR [PORT]");
const keyPath = join(dir, "ceiling-key.pem");
const certPath = join(dir, "ceiling-cert.pem");

if (cluster.isPrimary) {
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyPath, "-out", certPath, "-days", "1", "-subj", "/CN=localhost"], { stdio: "ignore" });
  // Workers share one listening port; port 0 would give each its own, so pick one first.
  const port = Number(portArg ?? 0) || 20_000 + Math.floor(Math.random() * 20_000);
  let listening = 0;
  for (let i = 0; i < cpus().length; i++) {
    cluster.fork({ CEILING_PORT: String(port) }).on("listening", () => {
      if (++listening === cpus().length) process.stdout.write(`${JSON.stringify({ origin: `https://127.0.0.1:${port}` })}\n`);
    });
  }
  process.once("SIGTERM", () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    process.exit(0);
  });
} else {
  const body = JSON.stringify({ kid: `https://127.0.0.1:8443/keys/bench-RS256/${"0".repeat(32)}`, value: "A".repeat(342) });
  createServer({ key: readFileSync(keyPath), cert: readFileSync(certPath), keepAliveTimeout: 65_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(body)) });
      res.end(body);
    });
  }).listen(Number(process.env.CEILING_PORT), "127.0.0.1");
}
