import type { KeyStore } from "../key-store";
import type { rsaKey } from "./fixtures";

export interface KillScenario {
  name: string;
  /** What the parent creates first: the "old state". */
  setup(store: KeyStore, key: typeof rsaKey): Promise<void>;
  /** The write the child starts and never finishes. */
  write(store: KeyStore, key: typeof rsaKey): Promise<unknown>;
  /** The child stops right after the `occurrence`-th statement containing this text. */
  pauseAfter: string;
  occurrence: number;
}

const VERSION_IDS = ["1".repeat(32), "2".repeat(32), "3".repeat(32)];

export const KILL_SCENARIOS: readonly KillScenario[] = [
  {
    name: "create: key row written, version not yet",
    setup: async () => undefined,
    write: (store, key) => store.createKey(key("victim")),
    pauseAfter: "INSERT INTO keys",
    occurrence: 1,
  },
  {
    name: "add version: version written, key not yet pointed at it",
    setup: async (store, key) => {
      await store.createKey(key("victim"));
    },
    write: (store, key) => store.addVersion("victim", key("victim")),
    pauseAfter: "INSERT INTO key_versions",
    occurrence: 1,
  },
  {
    name: "restore: two of three versions written",
    setup: async () => undefined,
    write: (store, key) =>
      store.restoreKey({ name: "victim", versions: VERSION_IDS.map((version) => ({ ...key("victim"), version, created: 1, updated: 1 })) }),
    pauseAfter: "INSERT INTO key_versions",
    occurrence: 2,
  },
  {
    name: "update: version changed, key timestamp not yet",
    setup: async (store, key) => {
      await store.createKey(key("victim", { tags: { state: "old" } }));
    },
    write: (store) => store.updateVersion("victim", undefined, { tags: { state: "new" }, enabled: false }),
    pauseAfter: "UPDATE key_versions",
    occurrence: 1,
  },
];
