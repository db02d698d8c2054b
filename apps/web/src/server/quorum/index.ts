import type { Target } from "../target/app";
import { custodianSetOf } from "./from-security-domain";
import { QuorumService, type CustodianSetSource } from "./service";

export { QuorumService, CustodianSetViewSchema, type CustodianSetSource, type CustodianSetView } from "./service";
export { QuorumStore } from "./store";
export { custodianSetOf } from "./from-security-domain";

const sources = new WeakMap<Target, CustodianSetSource>();
const services = new WeakMap<Target, QuorumService>();

/** The target's own security-domain service: what the records are about unless something else is provided. */
const fromTarget =
  (target: Target): CustodianSetSource =>
  async () =>
    custodianSetOf(await target.ctx.securityDomain.status());

/**
 * Where a target's custodian set comes from, when not its own security-domain service (tests give a
 * plain function). Kept beside the target rather than in the portal API's context so that the quorum
 * routes need nothing else wired.
 */
export function provideCustodianSet(target: Target, source: CustodianSetSource): void {
  sources.set(target, source);
  services.delete(target);
}

/** The quorum records of a target: one service per target, on its database and clock. */
export function quorumServiceOf(target: Target): QuorumService {
  let service = services.get(target);
  if (!service) {
    service = new QuorumService({ db: target.db, custodianSet: sources.get(target) ?? fromTarget(target), now: target.ctx.now });
    services.set(target, service);
  }
  return service;
}
