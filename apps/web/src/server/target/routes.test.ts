import { describe, expect, it } from "vitest";
import { isTargetPath, matchRoute } from "./routes";

const V = "0123456789abcdef0123456789abcdef";

describe("matchRoute", () => {
  const table: [string, string, object][] = [
    ["POST", "/keys/k1/create", { operation: "createKey", name: "k1" }],
    ["PUT", "/keys/k1", { operation: "importKey", name: "k1" }],
    ["GET", "/keys", { operation: "getKeys" }],
    ["GET", "/keys/", { operation: "getKeys" }],
    ["GET", "/keys/k1", { operation: "getKey", name: "k1" }],
    ["GET", "/keys/k1/", { operation: "getKey", name: "k1" }],
    ["GET", `/keys/k1/${V}`, { operation: "getKey", name: "k1", version: V }],
    ["PATCH", "/keys/k1/", { operation: "updateKey", name: "k1" }],
    ["PATCH", `/keys/k1/${V}`, { operation: "updateKey", name: "k1", version: V }],
    ["DELETE", "/keys/k1", { operation: "deleteKey", name: "k1" }],
    ["GET", "/keys/k1/versions", { operation: "getKeyVersions", name: "k1" }],
    ["POST", "/keys/k1/backup", { operation: "backupKey", name: "k1" }],
    ["POST", "/keys/restore", { operation: "restoreKey" }],
    ["POST", "/keys/k1/rotate", { operation: "rotateKey", name: "k1" }],
    ["GET", "/keys/k1/rotationpolicy", { operation: "getKeyRotationPolicy", name: "k1" }],
    ["PUT", "/keys/k1/rotationpolicy", { operation: "updateKeyRotationPolicy", name: "k1" }],
    ["POST", `/keys/k1/${V}/sign`, { operation: "sign", name: "k1", version: V }],
    ["POST", "/keys/k1//sign", { operation: "sign", name: "k1" }],
    ["POST", "/keys/k1//wrapkey", { operation: "wrapKey", name: "k1" }],
    ["POST", `/keys/k1/${V}/unwrapkey`, { operation: "unwrapKey", name: "k1", version: V }],
    ["POST", "/keys/k1//release", { operation: "release", name: "k1" }],
    ["GET", "/deletedkeys", { operation: "getDeletedKeys" }],
    ["GET", "/deletedkeys/k1", { operation: "getDeletedKey", name: "k1" }],
    ["DELETE", "/deletedkeys/k1", { operation: "purgeDeletedKey", name: "k1" }],
    ["POST", "/deletedkeys/k1/recover", { operation: "recoverDeletedKey", name: "k1" }],
    ["POST", "/rng", { operation: "getRandomBytes" }],
    ["POST", "/securitydomain/download", { operation: "downloadSecurityDomain" }],
    ["GET", "/securitydomain/download/pending", { operation: "getSecurityDomainDownloadStatus" }],
    ["GET", "/SecurityDomain/Upload", { operation: "getTransferKey" }],
    ["POST", "/securitydomain/upload", { operation: "uploadSecurityDomain" }],
    ["GET", "/securitydomain/upload/pending", { operation: "getSecurityDomainUploadStatus" }],
    ["GET", "//providers/Microsoft.Authorization/roleAssignments", { operation: "listRoleAssignments", scope: "/" }],
    ["PUT", "/keys/providers/Microsoft.Authorization/roleAssignments/abc", { operation: "createRoleAssignment", scope: "/keys", objectName: "abc" }],
    ["DELETE", "/keys/k1/providers/Microsoft.Authorization/roleAssignments/abc", { operation: "deleteRoleAssignment", scope: "/keys/k1", objectName: "abc" }],
    ["GET", "/providers/Microsoft.Authorization/roleDefinitions", { operation: "listRoleDefinitions", scope: "/" }],
  ];
  for (const [method, path, expected] of table) {
    it(`${method} ${path}`, () => {
      expect(matchRoute(method, path)).toEqual({ kind: "match", route: expected });
    });
  }

  it("answers 405 with the allowed methods", () => {
    expect(matchRoute("DELETE", "/keys/k1/create")).toEqual({ kind: "methodNotAllowed", allowed: ["POST"] });
  });
  it("answers 404 for unknown paths", () => {
    expect(matchRoute("GET", "/keys/k1/x/y/z")).toEqual({ kind: "notFound" });
    expect(matchRoute("GET", "/secrets/s1")).toEqual({ kind: "notFound" });
    expect(matchRoute("GET", "/securitydomain")).toEqual({ kind: "notFound" });
    expect(matchRoute("GET", "/securitydomain/download/pending/x")).toEqual({ kind: "notFound" });
    expect(matchRoute("GET", "/securitydomain/download")).toEqual({ kind: "methodNotAllowed", allowed: ["POST"] });
  });
  it("tells the data plane from the portal", () => {
    expect(isTargetPath("/keys/x")).toBe(true);
    expect(isTargetPath("/deletedkeys")).toBe(true);
    expect(isTargetPath("/inventory")).toBe(false);
    expect(isTargetPath("/")).toBe(false);
  });
});
