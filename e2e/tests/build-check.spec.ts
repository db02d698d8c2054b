import { join } from "node:path";
import { test, expect } from "@playwright/test";
import { FORBIDDEN, FORBIDDEN_SOURCES, jsFiles, mapSources, mappedChunks, scanChunks, scanSources, scanText, serverOnlySentences } from "../harness/bundle-check";
import { REPO, WEB_DIR, nextDist } from "../harness/product";

// The client build the global setup just made: nothing server-side and no private key may be in it.
const STATIC = join(WEB_DIR, nextDist(), "static");
const serverOnly = () => serverOnlySentences(join(WEB_DIR, "src", "server"), [join(WEB_DIR, "src", "client"), join(WEB_DIR, "app"), join(REPO, "packages", "shared", "src")]);

test.describe("build check: client chunks", () => {
  test("the scanner recognises each forbidden thing (so a clean result means something)", () => {
    const samples: Record<string, string> = {
      pkcs11js: 'const p=require("./build/Release/pkcs11.node")',
      "@electric-sql/pglite": 'fetch(new URL("pglite.wasm",import.meta.url))',
      "pg (PostgreSQL client)": 'throw new Error("SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string")',
      "a Node built-in (node:fs, child_process, …)": 'e.x("node:fs",()=>require("node:fs"))',
      "a path under apps/web/src/server": "//# sourceURL=apps/web/src/server/store/key-store.ts",
      "a private-key PEM header": '"-----BEGIN PRIVATE KEY-----\\nMIIE"',
    };
    expect(Object.keys(samples).sort()).toEqual(FORBIDDEN.map((f) => f.what).sort());
    for (const [what, text] of Object.entries(samples)) expect(scanText(text), what).toEqual([what]);
    expect(scanText('"-----BEGIN EC PRIVATE KEY-----"')).toEqual(["a private-key PEM header"]);
    expect(scanText('x("The access token has expired.")', new Set(["The access token has expired."]))).toEqual(['server-only source text "The access token has expired."']);
    expect(scanText('"-----BEGIN PUBLIC KEY-----" fetch("/portal-api/me")', new Set(["The access token has expired."]))).toEqual([]);
  });

  test("the source-map check names each forbidden module and passes client modules", () => {
    const sources = [
      "turbopack:///[project]/node_modules/pkcs11js/index.js",
      "turbopack:///[project]/node_modules/@electric-sql/pglite/dist/index.js",
      "turbopack:///[project]/node_modules/pg-protocol/dist/parser.js",
      "turbopack:///[project]/apps/web/src/server/auth/challenge.ts",
      "turbopack:///[project]/apps/bridge/src/hsm/wrap.ts",
    ];
    expect(scanSources(mapSources({ sections: [{ map: { sources: sources.slice(0, 2) } }], sources: sources.slice(2) }))).toEqual([
      "pkcs11js (node_modules/pkcs11js/index.js)",
      "@electric-sql/pglite (node_modules/@electric-sql/pglite/dist/index.js)",
      "pg (PostgreSQL client) (node_modules/pg-protocol/dist/parser.js)",
      "a module under apps/web/src/server (apps/web/src/server/auth/challenge.ts)",
      "the bridge (apps/bridge/src/hsm/wrap.ts)",
    ]);
    expect(FORBIDDEN_SOURCES).toHaveLength(sources.length);
    expect(scanSources(["turbopack:///[project]/apps/web/src/client/access/matrix.ts", "turbopack:///[project]/packages/shared/dist/rbac/evaluate.js", "turbopack:///[project]/node_modules/pgp-lib/x.js"])).toEqual([]);
  });

  test("no client chunk contains pkcs11js, server-only modules or a private-key PEM header", () => {
    const chunks = jsFiles(STATIC);
    expect(chunks.length, `client chunks under ${STATIC}`).toBeGreaterThan(5);
    const sentences = serverOnly();
    expect(sentences.size, "server-only sentences to look for").toBeGreaterThan(50);
    if (mappedChunks(STATIC) === 0) test.info().annotations.push({ type: "note", description: "no source maps in this build: modules were recognised by their text only" });
    expect(scanChunks(STATIC, sentences)).toEqual([]);
  });
});
