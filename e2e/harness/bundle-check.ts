import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/**
 * What must never reach the browser's JavaScript, recognised by text that survives minification (the
 * production chunks name modules by number, not by path).
 */
export const FORBIDDEN: readonly { what: string; pattern: RegExp }[] = [
  { what: "pkcs11js", pattern: /pkcs11js|pkcs11\.node|at PKCS11\\?\./ },
  { what: "@electric-sql/pglite", pattern: /@electric-sql\/pglite|pglite\.wasm|pglite\.data/ },
  { what: "pg (PostgreSQL client)", pattern: /pg-protocol|pg-connection-string|SCRAM-SERVER-FIRST-MESSAGE/ },
  { what: "a Node built-in (node:fs, child_process, …)", pattern: /["'`]node:(?:fs|fs\/promises|child_process|net|tls|worker_threads|module)["'`]|require\(["'`](?:fs|child_process)["'`]\)/ },
  { what: "a path under apps/web/src/server", pattern: /apps\/web\/src\/server|\bsrc\/server\// },
  { what: "a private-key PEM header", pattern: /PRIVATE KEY-----/ },
];

/**
 * Modules that must never be among a client chunk's sources. Exact, but only when the build wrote
 * source maps (KEYWARD_BROWSER_SOURCE_MAPS=1, where next.config.ts honours it).
 */
export const FORBIDDEN_SOURCES: readonly { what: string; pattern: RegExp }[] = [
  { what: "pkcs11js", pattern: /\/node_modules\/pkcs11js\// },
  { what: "@electric-sql/pglite", pattern: /\/node_modules\/@electric-sql\/pglite\// },
  { what: "pg (PostgreSQL client)", pattern: /\/node_modules\/pg(?:-protocol|-pool|-connection-string|-types)?\// },
  { what: "a module under apps/web/src/server", pattern: /\/apps\/web\/src\/server\// },
  { what: "the bridge", pattern: /\/apps\/bridge\// },
];

interface SourceMap {
  sources?: string[];
  sections?: { map: SourceMap }[];
}

/** Every source a map names, index maps (`sections`) included. */
export function mapSources(map: SourceMap): string[] {
  return [...(map.sources ?? []), ...(map.sections ?? []).flatMap((s) => mapSources(s.map))];
}

/** What among a chunk's sources is forbidden (one finding per kind, naming the first such module). */
export function scanSources(sources: readonly string[]): string[] {
  return FORBIDDEN_SOURCES.flatMap((f) => {
    const hit = sources.find((s) => f.pattern.test(s));
    return hit === undefined ? [] : [`${f.what} (${hit.replace(/^turbopack:\/\/\/\[project\]\//, "")})`];
  });
}

export interface Finding {
  file: string;
  what: string;
}

/** Every `.js` file under `dir`, recursively. */
export function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".js"))
    .map((e) => join(e.parentPath, e.name));
}

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => ({ path: join(e.parentPath, e.name), text: readFileSync(join(e.parentPath, e.name), "utf8") }));
}

/**
 * Sentences that appear in server sources (`serverDir`) and nowhere in what the browser may load
 * (`clientDirs`): error messages, SQL, log lines. Only literals of four words or more count — short
 * protocol constants ("application/x-www-form-urlencoded") are in client libraries too.
 */
export function serverOnlySentences(serverDir: string, clientDirs: readonly string[]): Set<string> {
  const clientText = clientDirs.flatMap(sources).map((s) => s.text).join("\n");
  const out = new Set<string>();
  for (const { text } of sources(serverDir)) {
    for (const m of text.matchAll(/"((?:[^"\\\n]|\\.)*)"|`([^`$\\\n]*)`/g)) {
      const s = m[1] ?? m[2] ?? "";
      if (s.length >= 20 && (s.match(/ /g)?.length ?? 0) >= 3 && !s.includes("\\") && !clientText.includes(s)) out.add(s);
    }
  }
  return out;
}

/**
 * What in `text` is forbidden: the fixed signatures, and any string literal found only in server
 * sources (`serverOnly`) — a server module bundled for the client carries its messages with it.
 */
export function scanText(text: string, serverOnly: ReadonlySet<string> = new Set()): string[] {
  const found = FORBIDDEN.filter((f) => f.pattern.test(text)).map((f) => f.what);
  for (const literal of serverOnly) if (text.includes(literal)) found.push(`server-only source text ${JSON.stringify(literal)}`);
  return found;
}

/** The source map a chunk names in its `//# sourceMappingURL=` comment, when that file exists. */
function mapOf(file: string, text: string): SourceMap | undefined {
  const url = /\/\/# sourceMappingURL=([^\s]+)\s*$/.exec(text)?.[1];
  if (url === undefined || url.includes(":")) return undefined;
  const path = join(dirname(file), decodeURIComponent(url));
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as SourceMap) : undefined;
}

/** Every client chunk's text, and the modules its source map names when the build wrote one. */
export function scanChunks(staticDir: string, serverOnly: ReadonlySet<string>): Finding[] {
  return jsFiles(staticDir).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const map = mapOf(file, text);
    const found = [...scanText(text, serverOnly), ...(map ? scanSources(mapSources(map)) : [])];
    return found.map((what) => ({ file: relative(staticDir, file), what }));
  });
}

/** How many chunks have a source map (0: the module-path check could not run). */
export function mappedChunks(staticDir: string): number {
  return jsFiles(staticDir).filter((f) => mapOf(f, readFileSync(f, "utf8")) !== undefined).length;
}
