/**
 * A portal process restoring domain keys as fast as it can, to be killed mid-write by the test:
 * `install-child.ts DIR` writes DIR/<n>/domain-key.json for n = 0, 1, … and prints each n when it starts.
 */
import { join } from "node:path";
import { installDomainKey } from "../domain-key-file";
import { keyFileSealer } from "../key-file-sealer";

const [dir] = process.argv.slice(2);
if (!dir) throw new Error("usage: install-child.ts DIR");
for (let n = 0; ; n++) {
  process.stdout.write(`${n}\n`);
  await installDomainKey({ path: join(dir, String(n), "domain-key.json"), sealer: keyFileSealer() }, Buffer.alloc(32, n % 256));
}
