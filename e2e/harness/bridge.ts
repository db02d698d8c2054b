import type { BridgeCommand } from "@keyward/shared";
import { BridgeClient, type ResultOf } from "../../apps/web/src/server/bridge/client";
import { loadOrCreateCommandKey } from "../../apps/web/src/server/bridge/command-key";
import type { ProductState } from "./state";

/**
 * Sends commands to the run's bridge signed with the portal's own command key (read from the run's
 * data directory), exactly as the portal would — e.g. to have the bridge wrap a target for a KEK whose
 * private key only the test holds. Results are verified against the bridge's pinned identity.
 */
export class BridgeCommander {
  private readonly client: BridgeClient;

  private constructor(client: BridgeClient) {
    this.client = client;
  }

  static async connect(product: ProductState): Promise<BridgeCommander> {
    const key = await loadOrCreateCommandKey(product.dataDir, product.commandIssuer);
    const { url, bridgeId, identity } = product.bridge;
    return new BridgeCommander(await BridgeClient.connect({ url, bridgeId, identity: { kid: identity.kid, jwk: identity.jwk } }, key.signer));
  }

  run<T extends BridgeCommand["type"]>(command: Extract<BridgeCommand, { type: T }>): Promise<ResultOf<T>> {
    return this.client.run(command);
  }

  close(): void {
    this.client.close();
  }
}
