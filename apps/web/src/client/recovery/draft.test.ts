import { describe, expect, it } from "vitest";
import { emptyParticipant, hasRecoveryProblems, participantProblems, recoveryProblems, toRecoveryRequest, type ParticipantDraft } from "./draft";

const T1 = `${"a".repeat(42)}A`;
const T2 = `${"b".repeat(42)}A`;
const row = (changes: Partial<ParticipantDraft> = {}): ParticipantDraft => ({ thumbprintSha256: T1, bridgeId: "custodian-1", keyLabel: "custodian", principalId: "oid-1", ...changes });

describe("participantProblems", () => {
  it("accepts a complete row, and starts a new one with the usual key label", () => {
    expect(participantProblems(row())).toEqual({});
    expect(emptyParticipant(T1)).toEqual({ thumbprintSha256: T1, bridgeId: "", keyLabel: "custodian", principalId: "" });
  });

  it("names every missing or malformed field, by the server's schema", () => {
    expect(participantProblems(emptyParticipant())).toEqual({ thumbprintSha256: { key: "problem.certificate" }, bridgeId: { key: "problem.bridge" }, principalId: { key: "problem.principal" } });
    expect(participantProblems(row({ keyLabel: "-starts-with-dash", principalId: "x".repeat(129) }))).toEqual({ keyLabel: { key: "problem.keyLabel" }, principalId: { key: "problem.principal" } });
    expect(participantProblems(row({ thumbprintSha256: "not a thumbprint", principalId: "   " }))).toEqual({ thumbprintSha256: { key: "problem.certificate" }, principalId: { key: "problem.principal" } });
  });
});

describe("recoveryProblems", () => {
  const two = [row(), row({ thumbprintSha256: T2, bridgeId: "custodian-2", principalId: "oid-2" })];

  it("accepts a recovery bridge and as many custodians as the quorum, and sends them trimmed", () => {
    const draft = { recoveryBridgeId: "recovery", participants: [two[0]!, { ...two[1]!, keyLabel: " custodian ", principalId: " oid-2 " }] };
    const problems = recoveryProblems(draft, 2);
    expect(problems).toEqual({ rows: [{}, {}] });
    expect(hasRecoveryProblems(problems)).toBe(false);
    expect(toRecoveryRequest(draft).participants[1]).toEqual({ thumbprintSha256: T2, bridgeId: "custodian-2", keyLabel: "custodian", principalId: "oid-2" });
  });

  it("refuses no recovery bridge and fewer custodians than the quorum", () => {
    const problems = recoveryProblems({ recoveryBridgeId: "", participants: [two[0]!] }, 2);
    expect(problems).toEqual({ recoveryBridgeId: { key: "problem.recoveryBridge" }, count: { key: "problem.tooFew", m: 2 }, rows: [{}] });
    expect(hasRecoveryProblems(problems)).toBe(true);
  });

  it("refuses a certificate or a person named twice, on the later row", () => {
    const problems = recoveryProblems({ recoveryBridgeId: "recovery", participants: [two[0]!, row({ bridgeId: "custodian-2", principalId: " oid-1" })] }, 2);
    expect(problems.rows).toEqual([{}, { thumbprintSha256: { key: "problem.sameCertificate" }, principalId: { key: "problem.samePrincipal" } }]);
    expect(hasRecoveryProblems(problems)).toBe(true);
  });
});
