import { base64url } from "jose";
import { describe, expect, it } from "vitest";
import {
  MAX_AUTHORITIES,
  MAX_CONDITIONS_PER_AUTHORITY,
  MAX_POLICY_DEPTH,
  RELEASE_POLICY_CONTENT_TYPE,
  parseReleasePolicy,
  parseReleasePolicyJson,
  type Condition,
  type ReleasePolicy,
  type ReleasePolicyIssue,
} from "./release-policy.js";
import { evaluateReleasePolicy } from "./release-policy-evaluate.js";
import { diffReleasePolicies, renderReleasePolicy } from "./release-policy-render.js";
import { canChangeReleasePolicy, decodeReleasePolicy, encodeReleasePolicy } from "./release-policy-wire.js";
import cvmPolicy from "./test-vectors/cvm-skr-policy.json" with { type: "json" };
import vectors from "./test-vectors/release-policies.json" with { type: "json" };

const A = "https://a.example/";
const EXAMPLE = `give the attestation issuer's https URL, e.g. "https://sharedeus.eus.attest.azure.net/"`;
const FORMS = '{"claim":"…","equals":…}, {"anyOf":[…]} or {"allOf":[…]}';
const claim = { claim: "x", equals: "y" };
const withConditions = (conditions: unknown[]) => ({ version: "1.0.0", anyOf: [{ authority: A, allOf: conditions }] });
const withAuthority = (authority: unknown) => ({ version: "1.0.0", anyOf: [authority] });
const C = (i: number) => `/anyOf/0/allOf/${i}`;

function parsed(input: unknown): ReleasePolicy {
  const result = parseReleasePolicy(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.policy;
}
const issuesOf = (input: unknown): ReleasePolicyIssue[] => {
  const result = parseReleasePolicy(input);
  return result.ok ? [] : result.issues;
};
const issue = (path: string, code: ReleasePolicyIssue["code"], message: string): ReleasePolicyIssue => ({ path, code, message });

describe("parseReleasePolicy: real policies", () => {
  it("parses the CVM policy (51 regional authorities, nested anyOf, one authority listed twice)", () => {
    const policy = parsed(cvmPolicy);
    expect(policy.anyOf).toHaveLength(51);
    expect(policy.anyOf[0]).toEqual({
      authority: "https://sharedeus.eus.attest.azure.net/",
      allOf: [
        { claim: "x-ms-compliance-status", equals: "azure-compliant-cvm" },
        { anyOf: [{ claim: "x-ms-attestation-type", equals: "tdxvm" }, { claim: "x-ms-attestation-type", equals: "sevsnpvm" }] },
      ],
    });
  });

  it("parses the Python SDK test policy (authority-level anyOf, boolean value)", () => {
    expect(parsed(vectors.pySdkTest.policy)).toEqual({
      version: "1.0.0",
      anyOf: [{ authority: "https://skr-attestation.example.azurewebsites.net/", anyOf: [{ claim: "sdk-test", equals: true }] }],
    });
  });

  it("refuses the legacy 0.2 form with messages naming the 1.0.0 form", () => {
    expect(issuesOf(vectors.legacyCliTemplate.policy)).toEqual([
      issue(
        "/version",
        "POLICY_VERSION_LEGACY",
        'version "0.2" is the legacy preview grammar and is not accepted; write {"version":"1.0.0","anyOf":[{"authority":"https://…","allOf":[{"claim":"…","equals":…}]}]}',
      ),
      issue("/anyOf/0/authority", "POLICY_AUTHORITY_URL", `authority "<issuer>" is not a URL; ${EXAMPLE}`),
      issue(C(0), "POLICY_LEGACY_CONDITION", '{"claim","condition","value"} is the legacy 0.2 form; in 1.0.0 write {"claim":"…","equals":…}'),
    ]);
  });

  it("returns a copy in canonical field order, without the caller's objects", () => {
    const input = { anyOf: [{ allOf: [{ equals: 1, claim: "n" }], authority: A }], version: "1.0.0" };
    const policy = parsed(input);
    expect(JSON.stringify(policy)).toBe('{"version":"1.0.0","anyOf":[{"authority":"https://a.example/","allOf":[{"claim":"n","equals":1}]}]}');
    expect(policy.anyOf[0]).not.toBe(input.anyOf[0]);
  });
});

describe("parseReleasePolicy: refusals (path, code, message)", () => {
  const cases: [string, unknown, ReleasePolicyIssue[]][] = [
    ["an array", [], [issue("", "POLICY_TYPE", 'a release policy is an object like {"version":"1.0.0","anyOf":[…]}; got an array')]],
    ["null", null, [issue("", "POLICY_TYPE", 'a release policy is an object like {"version":"1.0.0","anyOf":[…]}; got null')]],
    ["a missing version", { anyOf: [{ authority: A, allOf: [claim] }] }, [issue("/version", "POLICY_FIELD_MISSING", 'version is missing; write "version":"1.0.0"')]],
    ["version 1.0.2", { version: "1.0.2", anyOf: [{ authority: A, allOf: [claim] }] }, [issue("/version", "POLICY_VERSION", 'version "1.0.2" is not supported; use "1.0.0"')]],
    ["a numeric version", { version: 1, anyOf: [{ authority: A, allOf: [claim] }] }, [issue("/version", "POLICY_VERSION", 'version 1 is not supported; use "1.0.0"')]],
    [
      "allOf at the top level",
      { version: "1.0.0", allOf: [claim], anyOf: [{ authority: A, allOf: [claim] }] },
      [issue("/allOf", "POLICY_FIELD_UNKNOWN", 'unknown field "allOf"; the top level takes "anyOf", a list of authorities; "allOf" goes inside an authority')],
    ],
    [
      "a misspelt anyOf (and so a missing one)",
      { version: "1.0.0", anyof: [] },
      [
        issue("/anyof", "POLICY_FIELD_UNKNOWN", 'unknown field "anyof"; did you mean "anyOf"?'),
        issue("/anyOf", "POLICY_FIELD_MISSING", 'anyOf is missing; list the authorities, e.g. [{"authority":"https://sharedeus.eus.attest.azure.net/","allOf":[…]}]'),
      ],
    ],
    ["anyOf that is not a list", { version: "1.0.0", anyOf: {} }, [issue("/anyOf", "POLICY_TYPE", "anyOf must be a list of authorities; got an object")]],
    ["no authority", { version: "1.0.0", anyOf: [] }, [issue("/anyOf", "POLICY_LIST_EMPTY", "anyOf is empty; list at least one authority")]],
    [
      "an authority that is a string",
      withAuthority(A),
      [issue("/anyOf/0", "POLICY_TYPE", 'an authority is an object like {"authority":"https://…","allOf":[…]}; got a string')],
    ],
    ["a missing authority URL", withAuthority({ allOf: [claim] }), [issue("/anyOf/0/authority", "POLICY_FIELD_MISSING", `authority is missing; ${EXAMPLE}`)]],
    ["a numeric authority", withAuthority({ authority: 1, allOf: [claim] }), [issue("/anyOf/0/authority", "POLICY_TYPE", "authority must be a string URL; got a number")]],
    [
      "an http authority",
      withAuthority({ authority: "http://a.example/", allOf: [claim] }),
      [issue("/anyOf/0/authority", "POLICY_AUTHORITY_URL", `authority "http://a.example/" is not an https URL; ${EXAMPLE}`)],
    ],
    [
      "an authority with a query",
      withAuthority({ authority: "https://a.example/?x=1", allOf: [claim] }),
      [issue("/anyOf/0/authority", "POLICY_AUTHORITY_URL", `authority "https://a.example/?x=1" has a query or fragment; ${EXAMPLE}`)],
    ],
    [
      "an authority with credentials",
      withAuthority({ authority: "https://u:p@a.example/", allOf: [claim] }),
      [issue("/anyOf/0/authority", "POLICY_AUTHORITY_URL", `authority "https://u:p@a.example/" contains a user name or password; ${EXAMPLE}`)],
    ],
    [
      "an authority with a newline (which the URL parser would drop)",
      withAuthority({ authority: "https://a.exa\nmple/", allOf: [claim] }),
      [issue("/anyOf/0/authority", "POLICY_AUTHORITY_URL", `authority "https://a.exa\\nmple/" contains spaces or control characters; ${EXAMPLE}`)],
    ],
    ["both allOf and anyOf", withAuthority({ authority: A, allOf: [claim], anyOf: [claim] }), [issue("/anyOf/0", "POLICY_GROUP", 'give either "allOf" or "anyOf", not both')]],
    ["neither allOf nor anyOf", withAuthority({ authority: A }), [issue("/anyOf/0", "POLICY_GROUP", 'add "allOf" or "anyOf" with the conditions')]],
    [
      "a claim written on the authority",
      withAuthority({ authority: A, claim: "x", equals: "y", allOf: [claim] }),
      [
        issue("/anyOf/0/claim", "POLICY_FIELD_UNKNOWN", `unknown field "claim"; claim conditions go inside the authority's allOf or anyOf`),
        issue("/anyOf/0/equals", "POLICY_FIELD_UNKNOWN", `unknown field "equals"; claim conditions go inside the authority's allOf or anyOf`),
      ],
    ],
    [
      "an unknown authority field",
      withAuthority({ authority: A, allOf: [claim], name: "eus" }),
      [issue("/anyOf/0/name", "POLICY_FIELD_UNKNOWN", `unknown field "name"; an authority has "authority" and "allOf" or "anyOf"`)],
    ],
    ["a condition that is a string", withConditions(["x"]), [issue(C(0), "POLICY_TYPE", `a condition is an object: ${FORMS}; got a string`)]],
    ["an empty condition", withConditions([{}]), [issue(C(0), "POLICY_CONDITION_SHAPE", `empty condition; write ${FORMS}`)]],
    [
      "a claim and a group in one condition",
      withConditions([{ claim: "x", equals: 1, anyOf: [claim] }]),
      [issue(C(0), "POLICY_CONDITION_SHAPE", "a condition is either a claim test or an allOf/anyOf group, not both")],
    ],
    ["an unknown condition", withConditions([{ clam: "x" }]), [issue(`${C(0)}/clam`, "POLICY_FIELD_UNKNOWN", `unknown field "clam"; a condition is ${FORMS}`)]],
    [
      "Equals in the wrong case",
      withConditions([{ claim: "x", Equals: "y" }]),
      [
        issue(`${C(0)}/Equals`, "POLICY_FIELD_UNKNOWN", 'unknown field "Equals"; did you mean "equals"?'),
        issue(`${C(0)}/equals`, "POLICY_FIELD_MISSING", "equals is missing; give the value the claim must have"),
      ],
    ],
    [
      "an extra field in a claim condition",
      withConditions([{ claim: "x", equals: "y", note: "n" }]),
      [issue(`${C(0)}/note`, "POLICY_FIELD_UNKNOWN", 'unknown field "note"; a claim condition has only "claim" and "equals"')],
    ],
    [
      "an extra field in a group",
      withConditions([{ anyOf: [claim], note: "n" }]),
      [issue(`${C(0)}/note`, "POLICY_FIELD_UNKNOWN", 'unknown field "note"; a group has only "allOf" or "anyOf"')],
    ],
    ["a claim name that is missing", withConditions([{ equals: "y" }]), [issue(`${C(0)}/claim`, "POLICY_FIELD_MISSING", "claim is missing; name the attestation claim to test")]],
    ["a numeric claim name", withConditions([{ claim: 3, equals: "y" }]), [issue(`${C(0)}/claim`, "POLICY_TYPE", "claim must be a string naming a claim; got a number")]],
    ["an empty claim name", withConditions([{ claim: "", equals: "y" }]), [issue(`${C(0)}/claim`, "POLICY_CLAIM_NAME", "claim name is empty")]],
    [
      "a claim name over 256 characters",
      withConditions([{ claim: "c".repeat(257), equals: "y" }]),
      [issue(`${C(0)}/claim`, "POLICY_CLAIM_NAME", "claim name is 257 characters; the limit is 256")],
    ],
    [
      "a claim path with an empty segment",
      withConditions([{ claim: "a..b", equals: "y" }]),
      [
        issue(
          `${C(0)}/claim`,
          "POLICY_CLAIM_NAME",
          'claim name "a..b" has an empty segment; dots separate nested claims, e.g. x-ms-isolation-tee.x-ms-attestation-type',
        ),
      ],
    ],
    [
      "a claim name with a control character",
      withConditions([{ claim: "a\u0007", equals: "y" }]),
      [issue(`${C(0)}/claim`, "POLICY_CLAIM_NAME", 'claim name "a\\u0007" contains a control character')],
    ],
    ["a missing equals", withConditions([{ claim: "x" }]), [issue(`${C(0)}/equals`, "POLICY_FIELD_MISSING", "equals is missing; give the value the claim must have")]],
    ...(["null", "an array", "an object"] as const).map((kind, i): [string, unknown, ReleasePolicyIssue[]] => [
      `equals ${kind}`,
      withConditions([{ claim: "x", equals: [null, ["a"], { a: 1 }][i] }]),
      [issue(`${C(0)}/equals`, "POLICY_CLAIM_VALUE", `equals takes a string, a number or true/false; got ${kind} (arrays, objects and null are not allowed)`)],
    ]),
    ["an empty nested group", withConditions([{ anyOf: [] }]), [issue(`${C(0)}/anyOf`, "POLICY_LIST_EMPTY", "anyOf is empty; list at least one condition")]],
    [
      "a field name that needs pointer escaping",
      { version: "1.0.0", "a/b~c": 1, anyOf: [{ authority: A, allOf: [claim] }] },
      [issue("/a~1b~0c", "POLICY_FIELD_UNKNOWN", 'unknown field "a/b~c"; the top level has "version" and "anyOf"')],
    ],
  ];
  it.each(cases)("refuses %s", (_name, input, expected) => {
    expect(issuesOf(input)).toEqual(expected);
  });

  it.each(["notEquals", "less", "lessOrEquals", "greater", "greaterOrEquals", "exists"])("refuses the %s operator: only equals is supported", (operator) => {
    expect(issuesOf(withConditions([{ claim: "x", [operator]: 1 }]))).toEqual([
      issue(`${C(0)}/${operator}`, "POLICY_OPERATOR", `"${operator}" is in the grammar, but only "equals" is supported in this version`),
    ]);
  });

  it("reports every problem at once, in document order", () => {
    const input = {
      version: "0.2",
      anyOf: [
        { authority: "http://a.example/", allOf: [{ claim: "", equals: "y" }, { claim: "x", notEquals: 1 }] },
        { authority: A, anyOf: [{ claim: "x", equals: null }] },
      ],
    };
    expect(issuesOf(input).map((i) => [i.path, i.code])).toEqual([
      ["/version", "POLICY_VERSION_LEGACY"],
      ["/anyOf/0/authority", "POLICY_AUTHORITY_URL"],
      ["/anyOf/0/allOf/0/claim", "POLICY_CLAIM_NAME"],
      ["/anyOf/0/allOf/1/notEquals", "POLICY_OPERATOR"],
      ["/anyOf/1/anyOf/0/equals", "POLICY_CLAIM_VALUE"],
    ]);
  });
});

describe("parseReleasePolicy: limits", () => {
  /** A claim wrapped in `groups` groups, counting the authority's own. */
  const nested = (groups: number): Condition[] => {
    let list: Condition[] = [claim];
    for (let i = 1; i < groups; i++) list = [{ anyOf: list }];
    return list;
  };

  it(`accepts conditions nested ${MAX_POLICY_DEPTH} deep and refuses ${MAX_POLICY_DEPTH + 1}`, () => {
    expect(parseReleasePolicy(withConditions(nested(MAX_POLICY_DEPTH))).ok).toBe(true);
    const deepest = `/anyOf/0/allOf/0${"/anyOf/0".repeat(MAX_POLICY_DEPTH - 1)}`;
    expect(issuesOf(withConditions(nested(MAX_POLICY_DEPTH + 1)))).toEqual([issue(deepest, "POLICY_DEPTH", "conditions nest more than 8 levels deep; flatten the policy")]);
  });

  it("does not descend into a hostile nesting (no stack overflow)", () => {
    let deep: unknown = claim;
    for (let i = 0; i < 100_000; i++) deep = { anyOf: [deep] };
    expect(issuesOf(withConditions([deep])).map((i) => i.code)).toEqual(["POLICY_DEPTH"]);
  });

  it(`accepts ${MAX_CONDITIONS_PER_AUTHORITY} conditions per authority and refuses more`, () => {
    expect(parseReleasePolicy(withConditions(new Array(MAX_CONDITIONS_PER_AUTHORITY).fill(claim))).ok).toBe(true);
    // 64 claims plus the group holding two of them: 65 conditions.
    const over = [...new Array(MAX_CONDITIONS_PER_AUTHORITY - 2).fill(claim), { anyOf: [claim, claim] }];
    expect(issuesOf(withConditions(over))).toEqual([issue("/anyOf/0", "POLICY_TOO_MANY_CONDITIONS", "this authority has 65 conditions; the limit is 64")]);
  });

  it(`accepts ${MAX_AUTHORITIES} authorities and refuses more`, () => {
    const authorities = (n: number) => ({ version: "1.0.0", anyOf: new Array(n).fill({ authority: A, allOf: [claim] }) });
    expect(parseReleasePolicy(authorities(MAX_AUTHORITIES)).ok).toBe(true);
    expect(issuesOf(authorities(MAX_AUTHORITIES + 1))).toEqual([issue("/anyOf", "POLICY_TOO_MANY_AUTHORITIES", "129 authorities listed; the limit is 128")]);
  });

  it("accepts a claim name of exactly 256 characters", () => {
    expect(parseReleasePolicy(withConditions([{ claim: "c".repeat(256), equals: 1 }])).ok).toBe(true);
  });
});

describe("parseReleasePolicyJson", () => {
  it("reports JSON syntax errors at the document", () => {
    const result = parseReleasePolicyJson('{"version":"1.0.0",');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ path: "", code: "POLICY_JSON", message: expect.stringMatching(/^not valid JSON: /) as unknown });
  });

  it("parses text as typed", () => {
    expect(parseReleasePolicyJson(JSON.stringify(vectors.pySdkTest.policy)).ok).toBe(true);
  });
});

describe("evaluateReleasePolicy", () => {
  const cvm = parsed(cvmPolicy);
  const EUS = "https://sharedeus.eus.attest.azure.net/";
  const SCUS = "https://sharedscus.scus.attest.azure.net/"; // SEV-SNP only in the CVM policy
  const cvmClaims = (type: string, status = "azure-compliant-cvm") => ({ "x-ms-compliance-status": status, "x-ms-attestation-type": type });

  it.each([
    ["a TDX VM attested by East US", EUS, cvmClaims("tdxvm"), true],
    ["a SEV-SNP VM attested by East US", EUS, cvmClaims("sevsnpvm"), true],
    ["the issuer without its trailing slash", "https://sharedeus.eus.attest.azure.net", cvmClaims("sevsnpvm"), true],
    ["the issuer with an upper-case host", "https://SharedEUS.eus.attest.azure.net/", cvmClaims("sevsnpvm"), true],
    ["a TDX VM attested where only SEV-SNP is allowed", SCUS, cvmClaims("tdxvm"), false],
    ["a SEV-SNP VM attested where only SEV-SNP is allowed", SCUS, cvmClaims("sevsnpvm"), true],
    ["a VM that is not compliant", EUS, cvmClaims("sevsnpvm", "not-compliant"), false],
    ["an SGX enclave", EUS, cvmClaims("sgx"), false],
    ["a missing compliance claim", EUS, { "x-ms-attestation-type": "sevsnpvm" }, false],
    ["an issuer not in the policy", "https://evil.example/", cvmClaims("sevsnpvm"), false],
    ["an http issuer", "http://sharedeus.eus.attest.azure.net/", cvmClaims("sevsnpvm"), false],
    ["an issuer that is not a URL", "sharedeus", cvmClaims("sevsnpvm"), false],
    // Listed twice (TDX+SNP, then SNP only): any matching entry suffices.
    ["a TDX VM attested by France South", "https://sharedfrs.frs.attest.azure.net/", cvmClaims("tdxvm"), true],
  ])("CVM policy: %s → %s", (_name, iss, claims, expected) => {
    expect(evaluateReleasePolicy(cvm, { iss, claims })).toBe(expected);
  });

  const py = parsed(vectors.pySdkTest.policy);
  const PY_ISS = "https://skr-attestation.example.azurewebsites.net";
  it.each([
    ["true", true, true],
    ['"true" (Key Vault echoes booleans as strings)', "true", true],
    ["false", false, false],
    ['"false"', "false", false],
    ['"True" (not how booleans are echoed)', "True", false],
    ["1", 1, false],
    ["missing", undefined, false],
  ])("PY SDK policy: sdk-test %s", (_name, value, expected) => {
    expect(evaluateReleasePolicy(py, { iss: PY_ISS, claims: value === undefined ? {} : { "sdk-test": value } })).toBe(expected);
  });

  const rule = (conditions: Condition[], authority = A): ReleasePolicy => ({ version: "1.0.0", anyOf: [{ authority, allOf: conditions }] });
  const tee = { "x-ms-isolation-tee": { "x-ms-attestation-type": "sevsnpvm", "x-ms-compliance-status": "azure-compliant-uvm", svn: 7 } };
  it.each([
    ["a nested claim path", [{ claim: "x-ms-isolation-tee.x-ms-attestation-type", equals: "sevsnpvm" }], tee, true],
    ["a nested number", [{ claim: "x-ms-isolation-tee.svn", equals: 7 }], tee, true],
    ["a nested path that does not match", [{ claim: "x-ms-isolation-tee.x-ms-attestation-type", equals: "tdxvm" }], tee, false],
    ["a path below a string", [{ claim: "x-ms-isolation-tee.x-ms-attestation-type.deeper", equals: "sevsnpvm" }], tee, false],
    ["a path into an array (arrays are not navigated)", [{ claim: "list.0", equals: "a" }], { list: ["a"] }, false],
    ["a dotted top-level key (dots always navigate)", [{ claim: "a.b", equals: 1 }], { "a.b": 1 }, false],
    ["a string condition against a boolean claim", [{ claim: "debug", equals: "false" }], { debug: false }, false],
    ["a number against its string", [{ claim: "svn", equals: 7 }], { svn: "7" }, false],
    ["a string against its number", [{ claim: "svn", equals: "7" }], { svn: 7 }, false],
    ["a null claim", [{ claim: "x", equals: "null" }], { x: null }, false],
    ["an inherited property name", [{ claim: "constructor", equals: "x" }], {}, false],
    ["a __proto__ path", [{ claim: "__proto__.polluted", equals: true }], JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>, true],
    ["allOf with one claim missing", [{ claim: "a", equals: 1 }, { claim: "b", equals: 2 }], { a: 1 }, false],
    ["anyOf with one claim matching", [{ anyOf: [{ claim: "a", equals: 2 }, { claim: "b", equals: 2 }] }], { a: 1, b: 2 }, true],
    ["an empty group built by hand (fails closed)", [{ allOf: [] }], {}, false],
  ])("%s", (_name, conditions, claims, expected) => {
    expect(evaluateReleasePolicy(rule(conditions), { iss: A, claims })).toBe(expected);
  });

  it("matches authority and issuer whichever carries the trailing slash", () => {
    const noSlash = rule([{ claim: "a", equals: 1 }], "https://a.example");
    expect(evaluateReleasePolicy(noSlash, { iss: "https://a.example/", claims: { a: 1 } })).toBe(true);
    expect(evaluateReleasePolicy(noSlash, { iss: "https://a.example/tenant", claims: { a: 1 } })).toBe(false);
  });
});

describe("wire form", () => {
  const policy = parsed(vectors.pySdkTest.policy);
  const DATA =
    "eyJ2ZXJzaW9uIjoiMS4wLjAiLCJhbnlPZiI6W3siYXV0aG9yaXR5IjoiaHR0cHM6Ly9za3ItYXR0ZXN0YXRpb24uZXhhbXBsZS5henVyZXdlYnNpdGVzLm5ldC8iLCJhbnlPZiI6W3siY2xhaW0iOiJzZGstdGVzdCIsImVxdWFscyI6dHJ1ZX1dfV19";

  it("encodes to the Key Vault envelope (known answer)", () => {
    expect(encodeReleasePolicy(policy, { immutable: true })).toEqual({ contentType: RELEASE_POLICY_CONTENT_TYPE, data: DATA, immutable: true });
    expect(encodeReleasePolicy(policy).immutable).toBe(false);
  });

  it("round-trips the CVM policy", () => {
    const cvm = parsed(cvmPolicy);
    expect(decodeReleasePolicy(encodeReleasePolicy(cvm, { immutable: true }))).toEqual({ ok: true, policy: cvm, immutable: true });
  });

  it("decodes base64url with and without padding (one and two padding characters)", () => {
    const paddings = new Set<number>();
    for (const name of ["a", "ab", "abc"]) {
      const unpadded = base64url.encode(JSON.stringify({ version: "1.0.0", anyOf: [{ authority: A, allOf: [{ claim: name, equals: 1 }] }] }));
      const padding = "=".repeat((4 - (unpadded.length % 4)) % 4);
      paddings.add(padding.length);
      for (const data of [unpadded, unpadded + padding]) expect(decodeReleasePolicy({ data }).ok).toBe(true);
    }
    expect(paddings).toEqual(new Set([0, 1, 2]));
  });

  it("accepts a missing contentType and immutable (immutable then false), and the legacy version parameter", () => {
    expect(decodeReleasePolicy({ data: DATA })).toEqual({ ok: true, policy, immutable: false });
    expect(decodeReleasePolicy({ contentType: "application/json; charset=utf-8; version=1.0", data: DATA }).ok).toBe(true);
    expect(decodeReleasePolicy({ contentType: "Application/JSON", data: DATA }).ok).toBe(true);
  });

  const b64 = (bytes: number[]) => base64url.encode(Uint8Array.from(bytes));
  const USE = `; use "${RELEASE_POLICY_CONTENT_TYPE}"`;
  it.each<[string, unknown, ReleasePolicyIssue[]]>([
    ["not an object", "x", [issue("", "POLICY_WIRE", 'a release policy is sent as {"contentType","data","immutable"}; got a string')]],
    ["a missing data", {}, [issue("/data", "POLICY_WIRE", "data is missing; it must hold the base64url-encoded policy JSON")]],
    ["a numeric data", { data: 1 }, [issue("/data", "POLICY_WIRE", "data must be a string; got a number")]],
    ["an empty data", { data: "" }, [issue("/data", "POLICY_WIRE", "data is empty; it must hold the base64url-encoded policy JSON")]],
    ["standard base64", { data: "ab+/" }, [issue("/data", "POLICY_BASE64", "data must be base64url (with - and _), not standard base64 (with + and /)")]],
    ["a stray character", { data: "ab!d" }, [issue("/data", "POLICY_BASE64", "data is not valid base64url")]],
    ["an impossible length", { data: "abcde" }, [issue("/data", "POLICY_BASE64", "data is not valid base64url")]],
    ["misplaced padding", { data: "ab=" }, [issue("/data", "POLICY_BASE64", "data is not valid base64url")]],
    ["whitespace", { data: "ab cd" }, [issue("/data", "POLICY_BASE64", "data is not valid base64url")]],
    ["bytes that are not UTF-8", { data: b64([0xff, 0xfe, 0x7b]) }, [issue("/data", "POLICY_UTF8", "data does not decode to UTF-8 text")]],
    ["another content type", { contentType: "text/plain", data: DATA }, [issue("/contentType", "POLICY_CONTENT_TYPE", `contentType "text/plain" is not application/json${USE}`)]],
    [
      "another charset",
      { contentType: "application/json; charset=utf-16", data: DATA },
      [issue("/contentType", "POLICY_CONTENT_TYPE", `contentType charset "utf-16" is not utf-8${USE}`)],
    ],
    ["a numeric contentType", { contentType: 1, data: DATA }, [issue("/contentType", "POLICY_CONTENT_TYPE", `contentType must be a string; got a number${USE}`)]],
    ["a string immutable", { data: DATA, immutable: "true" }, [issue("/immutable", "POLICY_WIRE", "immutable must be true or false; got a string")]],
    [
      "every envelope problem at once",
      { contentType: "text/plain", data: 1, immutable: 1 },
      [
        issue("/contentType", "POLICY_CONTENT_TYPE", `contentType "text/plain" is not application/json${USE}`),
        issue("/immutable", "POLICY_WIRE", "immutable must be true or false; got a number"),
        issue("/data", "POLICY_WIRE", "data must be a string; got a number"),
      ],
    ],
  ])("refuses %s", (_name, wire, expected) => {
    expect(decodeReleasePolicy(wire)).toEqual({ ok: false, issues: expected });
  });

  it("refuses data that is not JSON", () => {
    const result = decodeReleasePolicy({ data: base64url.encode("{nope") });
    expect(result).toMatchObject({ ok: false, issues: [{ path: "/data", code: "POLICY_JSON" }] });
  });

  it("reports the policy's own problems with paths into the decoded document", () => {
    const data = base64url.encode(JSON.stringify({ version: "1.0.0", anyOf: [{ authority: A, allOf: [{ claim: "x", less: 3 }] }] }));
    expect(decodeReleasePolicy({ data })).toEqual({
      ok: false,
      issues: [issue("/anyOf/0/allOf/0/less", "POLICY_OPERATOR", '"less" is in the grammar, but only "equals" is supported in this version')],
    });
  });
});

describe("renderReleasePolicy", () => {
  it("renders one authority and one claim on one line", () => {
    expect(renderReleasePolicy(parsed(vectors.pySdkTest.policy))).toBe(
      "Release when the attestation comes from https://skr-attestation.example.azurewebsites.net/ and claim sdk-test equals true",
    );
  });

  it("renders nested groups as an indented list", () => {
    const policy = parsed({
      version: "1.0.0",
      anyOf: [
        {
          authority: A,
          allOf: [
            { claim: "x-ms-attestation-type", equals: "sevsnpvm" },
            { anyOf: [{ claim: "svn", equals: 7 }, { allOf: [{ claim: "debug", equals: false }, { claim: "vm", equals: "a\nb" }] }] },
          ],
        },
      ],
    });
    expect(renderReleasePolicy(policy)).toBe(
      [
        "Release when the attestation comes from https://a.example/ and all of:",
        '  - claim x-ms-attestation-type equals "sevsnpvm"',
        "  - any of:",
        "    - claim svn equals 7",
        "    - all of:",
        "      - claim debug equals false",
        '      - claim vm equals "a\\nb"',
      ].join("\n"),
    );
  });

  it("renders several authorities, grouping those with identical conditions", () => {
    const cvm = renderReleasePolicy(parsed(cvmPolicy)).split("\n");
    expect(cvm.slice(0, 4)).toEqual([
      "Release when any of these holds:",
      "  - the attestation comes from any of these authorities:",
      "      https://sharedeus.eus.attest.azure.net/",
      "      https://sharedwus.wus.attest.azure.net/",
    ]);
    expect(cvm.slice(-4)).toEqual([
      "      https://sharedfrs.frs.attest.azure.net/",
      "    and all of:",
      '      - claim x-ms-compliance-status equals "azure-compliant-cvm"',
      '      - claim x-ms-attestation-type equals "sevsnpvm"',
    ]);
    // Header; 40 TDX+SNP authorities (lead, URLs, "and", 4 conditions); 11 SNP-only (lead, URLs, "and", 2).
    expect(cvm).toHaveLength(1 + (1 + 40 + 1 + 4) + (1 + 11 + 1 + 2));
  });

  it("renders two different authorities as a list", () => {
    const policy = parsed({
      version: "1.0.0",
      anyOf: [
        { authority: A, anyOf: [{ claim: "a", equals: 1 }] },
        { authority: "https://b.example/", anyOf: [{ claim: "b", equals: 1 }, { claim: "c", equals: 2 }] },
      ],
    });
    expect(renderReleasePolicy(policy)).toBe(
      [
        "Release when any of these holds:",
        "  - the attestation comes from https://a.example/ and claim a equals 1",
        "  - the attestation comes from https://b.example/ and any of:",
        "      - claim b equals 1",
        "      - claim c equals 2",
      ].join("\n"),
    );
  });
});

describe("diffReleasePolicies", () => {
  const base = parsed({
    version: "1.0.0",
    anyOf: [
      { authority: A, allOf: [{ claim: "x", equals: "y" }, { anyOf: [{ claim: "t", equals: "tdxvm" }, { claim: "t", equals: "sevsnpvm" }] }] },
      { authority: "https://b.example/", anyOf: [{ claim: "q", equals: 1 }] },
    ],
  });

  it("finds nothing between a policy and itself, or a reordering of it", () => {
    expect(diffReleasePolicies(base, base)).toEqual([]);
    const reordered = parsed({
      version: "1.0.0",
      anyOf: [
        { authority: "https://b.example/", anyOf: [{ claim: "q", equals: 1 }] },
        { authority: A, allOf: [{ anyOf: [{ claim: "t", equals: "sevsnpvm" }, { claim: "t", equals: "tdxvm" }] }, { claim: "x", equals: "y" }] },
      ],
    });
    expect(diffReleasePolicies(base, reordered)).toEqual([]);
  });

  it("names changed, added and removed conditions and authorities by path", () => {
    const next = parsed({
      version: "1.0.0",
      anyOf: [
        { authority: "https://a.example", anyOf: [{ claim: "x", equals: "z" }, { allOf: [{ claim: "t", equals: "sevsnpvm" }, { claim: "debug", equals: false }] }, { claim: "n", equals: 3 }] },
        { authority: "https://c.example/", anyOf: [{ claim: "q", equals: 1 }] },
      ],
    });
    expect(diffReleasePolicies(base, next)).toEqual([
      {
        kind: "changed",
        path: "/anyOf/0/authority",
        message: "authority now written https://a.example (was https://a.example/); Keyward treats them as the same issuer, Azure may not",
      },
      { kind: "changed", path: "/anyOf/0", message: "https://a.example: now requires any of its conditions (was all of)" },
      { kind: "changed", path: "/anyOf/0/anyOf/0", message: 'https://a.example: claim x now equals "z" (was "y")' },
      { kind: "changed", path: "/anyOf/0/anyOf/1", message: "https://a.example: now requires all of its conditions (was any of)" },
      { kind: "removed", path: "/anyOf/0/allOf/1/anyOf/0", message: 'https://a.example: removed claim t equals "tdxvm"' },
      { kind: "added", path: "/anyOf/0/anyOf/1/allOf/1", message: "https://a.example: added claim debug equals false" },
      { kind: "added", path: "/anyOf/0/anyOf/2", message: "https://a.example: added claim n equals 3" },
      { kind: "removed", path: "/anyOf/1", message: "removed authority https://b.example/ (claim q equals 1)" },
      { kind: "added", path: "/anyOf/1", message: "added authority https://c.example/ (claim q equals 1)" },
    ]);
  });

  it("pairs a repeated authority occurrence by occurrence (CVM lists France South twice)", () => {
    const cvm = parsed(cvmPolicy);
    const withoutLast: ReleasePolicy = { ...cvm, anyOf: cvm.anyOf.slice(0, -1) };
    expect(diffReleasePolicies(cvm, withoutLast)).toEqual([
      { kind: "removed", path: "/anyOf/50", message: 'removed authority https://sharedfrs.frs.attest.azure.net/ (all of (claim x-ms-compliance-status equals "azure-compliant-cvm"; claim x-ms-attestation-type equals "sevsnpvm"))' },
    ]);
  });
});

describe("canChangeReleasePolicy", () => {
  it.each([
    ["no current policy", undefined, { immutable: true }],
    ["a mutable policy", { immutable: false }, { immutable: false }],
    ["a mutable policy made immutable", { immutable: false }, { immutable: true }],
    ["a mutable policy, immutable not given", { immutable: false }, {}],
  ])("allows %s", (_name, current, next) => {
    expect(canChangeReleasePolicy(current, next)).toEqual({ ok: true });
  });

  it("refuses any change to an immutable policy", () => {
    const refusal = { ok: false, code: "POLICY_IMMUTABLE", message: "the release policy is immutable and cannot be changed" };
    expect(canChangeReleasePolicy({ immutable: true }, { immutable: true })).toEqual(refusal);
    expect(canChangeReleasePolicy({ immutable: true }, {})).toEqual(refusal);
  });

  it("refuses setting immutable back to false", () => {
    expect(canChangeReleasePolicy({ immutable: true }, { immutable: false })).toEqual({
      ok: false,
      code: "POLICY_IMMUTABLE_RESET",
      message: "immutable cannot be set back to false: the release policy is immutable and cannot be changed",
    });
  });
});
