export { certificateJwk, readCertificate, sha256Thumbprint, type CertificateJwk } from "./certificates";
export { activateWhenDevCustodiansExist, activateWithDevCustodians, DEV_QUORUM, DEV_SECURITY_DOMAIN_FILE, type DevActivation } from "./dev-custodians";
export { CustodianSetRefusedError, SD_INNER_CODES, type DownloadRefusal, type DownloadWarning } from "./errors";
export { openSecurityDomain, type OpenedSecurityDomain, type OpenSecurityDomainOptions } from "./open";
export { SecurityDomainService, type CustodianView, type DownloadResult, type SecurityDomainStatus, type TargetSecurityState } from "./service";
export type { CustodianRecord } from "./store";
