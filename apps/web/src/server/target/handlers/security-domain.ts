import { SecurityDomainDownloadRequestSchema, SecurityDomainUploadRequestSchema } from "@keyward/shared";
import type { TargetHandler, TargetRequest } from "../context";
import { parseJson } from "../http";

/**
 * Managed HSM's security-domain endpoints (facts §4.1). Both actions finish before they answer, so the
 * 202 carries the outcome and the status URL (`Azure-AsyncOperation`) already reports it, for clients
 * that poll as they do against the cloud.
 */
const asyncHeaders = (req: TargetRequest, kind: "download" | "upload") => ({
  "Azure-AsyncOperation": `${req.naming.baseUrl}/securitydomain/${kind}/pending`,
  "Retry-After": "0",
});

/**
 * `{value: <security-domain file JSON text>}`; warnings about the custodian set (an expired certificate,
 * a quorum below three) come along in `warnings: [{code, message, certificate?}]` when there are any.
 */
export const downloadSecurityDomain: TargetHandler = async (ctx, req) => {
  const result = await ctx.securityDomain.download(parseJson(req.body, SecurityDomainDownloadRequestSchema));
  return {
    status: 202,
    body: { value: result.file, ...(result.warnings.length ? { warnings: result.warnings } : {}) },
    headers: asyncHeaders(req, "download"),
  };
};

export const getSecurityDomainDownloadStatus: TargetHandler = async (ctx) => ({ body: await ctx.securityDomain.downloadStatus() });

/** The exchange key; `transfer_key` is the JWK as a JSON string, as the Azure CLI and SDKs read it. */
export const getTransferKey: TargetHandler = async (ctx) => ({
  body: { key_format: "jwk", transfer_key: JSON.stringify(await ctx.securityDomain.transferKey()) },
});

export const uploadSecurityDomain: TargetHandler = async (ctx, req) => {
  const { value } = parseJson(req.body, SecurityDomainUploadRequestSchema);
  return { status: 202, body: await ctx.securityDomain.upload(value), headers: asyncHeaders(req, "upload") };
};

export const getSecurityDomainUploadStatus: TargetHandler = async (ctx) => ({ body: await ctx.securityDomain.uploadStatus() });
