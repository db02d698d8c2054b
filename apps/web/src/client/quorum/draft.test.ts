import { describe, expect, it } from "vitest";
import { personProblems, reviewNoteProblem, shortThumbprint, transferProblems, type TransferDraft } from "./draft";

const person = (name: string, location = "") => ({ person: name, role: "", contact: "", location });
const transfer = (changes: Partial<TransferDraft> = {}): TransferDraft => ({ from: "Alice", to: person("Bob"), reason: "moved", approvedBy: "Carol", ...changes });

describe("personProblems", () => {
  it("accepts a name alone, and requires one", () => {
    expect(personProblems(person("Alice"))).toEqual({});
    expect(personProblems(person("   "))).toEqual({ person: { key: "problem.personEmpty" } });
  });

  it("holds the server's limits, counted after trimming, and refuses line breaks", () => {
    expect(personProblems(person(` ${"a".repeat(200)} `))).toEqual({});
    expect(personProblems(person("a".repeat(201), "b".repeat(301)))).toEqual({ person: { key: "problem.tooLong", max: 200 }, location: { key: "problem.tooLong", max: 300 } });
    expect(personProblems({ ...person("Alice"), contact: "a\nb" })).toEqual({ contact: { key: "problem.oneLine" } });
  });
});

describe("transferProblems", () => {
  it("accepts a complete transfer to someone else", () => {
    expect(transferProblems(transfer())).toEqual({});
  });

  it("refuses a transfer to the holder (names compared as the server does), one without a holder, reason or approver", () => {
    expect(transferProblems(transfer({ to: person(" ALICE ") }))).toEqual({ person: { key: "problem.sameHolder", person: "Alice" } });
    expect(transferProblems(transfer({ from: "" }))).toEqual({ from: { key: "problem.noHolder" } });
    expect(transferProblems(transfer({ reason: " ", approvedBy: "" }))).toEqual({ reason: { key: "problem.reasonEmpty" }, approvedBy: { key: "problem.approverEmpty" } });
  });

  it("lets the reason run over lines, within its limit", () => {
    expect(transferProblems(transfer({ reason: "left the company\nkey handed over in person" }))).toEqual({});
    expect(transferProblems(transfer({ reason: "r".repeat(2001) }))).toEqual({ reason: { key: "problem.tooLong", max: 2000 } });
  });
});

describe("reviewNoteProblem and shortThumbprint", () => {
  it("limits the note and shortens a thumbprint to its ends", () => {
    expect(reviewNoteProblem("all fine\nnext: add a fourth custodian")).toBeUndefined();
    expect(reviewNoteProblem("n".repeat(2001))).toEqual({ key: "problem.tooLong", max: 2000 });
    expect(shortThumbprint("abcdefgh_MIDDLE_PART_OF_IT_-wxyz")).toBe("abcdefgh…wxyz");
  });
});
