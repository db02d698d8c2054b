import { z } from "zod";
import { ThumbprintSha256Schema } from "../security-domain/file.js";
import { QUORUM_WARNING_CODES } from "../security-domain/quorum.js";
import { PrincipalRefSchema } from "./bridges.js";

/**
 * Quorum records (issue 5 §4) — who holds each share of the security domain, where it is kept, the
 * quarterly reviews and every change of holder — served by the portal API under `/portal-api/quorum`.
 *
 * Access: reading needs `getSecurityDomainDownloadStatus` (securitydomain/download/read) at `/`;
 * writing needs `downloadSecurityDomain` (securitydomain/download/action) at `/` — whoever may choose
 * the custodians may record who they are.
 *
 * - `GET  /portal-api/quorum`                          → {@link QuorumRecordSchema}
 * - `PUT  /portal-api/quorum/custodians/:thumbprint`   body {@link CustodianPersonSchema} → {@link QuorumRecordSchema}:
 *   correct the record of the current holder of that share (a change of holder is a transfer).
 * - `POST /portal-api/quorum/transfers`                body {@link RecordTransferRequestSchema} → 201 {@link QuorumRecordSchema}:
 *   append a transfer and make its `to` the share's holder, in one transaction.
 * - `POST /portal-api/quorum/reviews`                  body {@link RecordReviewRequestSchema} → 201 {@link QuorumRecordSchema}
 *
 * A refusal is a 400 in words (unknown thumbprint, empty name, a field too long, a transfer to the
 * holder already recorded) or a 409 (no security domain yet; the holder changed since the form was
 * read) and writes nothing.
 */

/** Lengths a person would type; the database holds the same limits. */
export const QUORUM_FIELD_LIMITS = { person: 200, role: 200, contact: 300, location: 300, approvedBy: 200, reason: 2000, note: 2000 } as const;

/** One line of text: trimmed, no line breaks or control characters, at most `max` characters. */
const line = (what: string, max: number) =>
  z
    .string({ error: `${what} is text` })
    .trim()
    .max(max, { error: `${what} is at most ${max} characters` })
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    .regex(/^[^\u0000-\u001f\u007f]*$/, { error: `${what} is one line, without control characters` });
const required = (schema: z.ZodString, what: string) => schema.min(1, { error: `${what} is required` });
/** Free text over several lines: trimmed, at most `max` characters. */
const paragraph = (what: string, max: number) =>
  z
    .string({ error: `${what} is text` })
    .trim()
    .max(max, { error: `${what} is at most ${max} characters` });


/** What the records say about a share's holder. Only the name is required: the rest can follow. */
export const CustodianPersonSchema = z
  .object({
    person: required(line("the person's name", QUORUM_FIELD_LIMITS.person), "the person's name"),
    role: line("the role", QUORUM_FIELD_LIMITS.role).default(""),
    contact: line("the contact", QUORUM_FIELD_LIMITS.contact).default(""),
    location: line("the location", QUORUM_FIELD_LIMITS.location).default(""),
  })
  .strict();
export type CustodianPerson = z.infer<typeof CustodianPersonSchema>;
export type CustodianPersonInput = z.input<typeof CustodianPersonSchema>;

export const RecordTransferRequestSchema = z
  .object({
    thumbprintSha256: ThumbprintSha256Schema,
    /** The holder the form showed; a different current holder is a 409, so two people cannot hand over one share twice. */
    from: line("from", QUORUM_FIELD_LIMITS.person),
    to: CustodianPersonSchema,
    reason: required(paragraph("the reason", QUORUM_FIELD_LIMITS.reason), "the reason"),
    approvedBy: required(line("who approved it", QUORUM_FIELD_LIMITS.approvedBy), "who approved it"),
  })
  .strict();
export type RecordTransferRequest = z.input<typeof RecordTransferRequestSchema>;
export type RecordTransferRequestParsed = z.infer<typeof RecordTransferRequestSchema>;

export const RecordReviewRequestSchema = z.object({ note: paragraph("the note", QUORUM_FIELD_LIMITS.note).default("") }).strict();
export type RecordReviewRequest = z.input<typeof RecordReviewRequestSchema>;
export type RecordReviewRequestParsed = z.infer<typeof RecordReviewRequestSchema>;

/** The target's security-domain state: provisioned (never downloaded) → active; awaiting-restore after its domain key was lost. */
export const QUORUM_DOMAIN_STATES = ["provisioned", "active", "awaiting-restore"] as const;
export const QuorumDomainStateSchema = z.enum(QUORUM_DOMAIN_STATES);
export type QuorumDomainState = z.infer<typeof QuorumDomainStateSchema>;

export const QuorumWarningSchema = z.object({
  code: z.enum(QUORUM_WARNING_CODES),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
  thumbprints: z.array(z.string()),
  params: z.object({
    m: z.number().int().optional(),
    n: z.number().int().optional(),
    person: z.string().optional(),
    location: z.string().optional(),
    notAfter: z.string().optional(),
    days: z.number().int().optional(),
  }),
});
export type QuorumWarningView = z.infer<typeof QuorumWarningSchema>;

export const QuorumCustodianSchema = z.object({
  thumbprintSha256: z.string(),
  commonName: z.string(),
  shareNumber: z.number().int(),
  notAfter: z.string(),
  person: z.string(),
  role: z.string(),
  contact: z.string(),
  location: z.string(),
  updatedAt: z.string().nullable(),
  updatedBy: PrincipalRefSchema.nullable(),
  /** When this custodian last proved in a rehearsal that they can still decrypt their share. */
  lastRehearsalAt: z.string().nullable(),
});
export type QuorumCustodianView = z.infer<typeof QuorumCustodianSchema>;

const HolderSchema = z.object({ person: z.string(), role: z.string(), contact: z.string(), location: z.string() });

export const QuorumTransferSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  thumbprintSha256: z.string(),
  from: HolderSchema,
  to: HolderSchema,
  reason: z.string(),
  approvedBy: z.string(),
  recordedBy: PrincipalRefSchema,
});
export type QuorumTransfer = z.infer<typeof QuorumTransferSchema>;

export const QuorumReviewSchema = z.object({ seq: z.number().int(), at: z.string(), by: PrincipalRefSchema, note: z.string() });
export type QuorumReview = z.infer<typeof QuorumReviewSchema>;

export const QuorumRecordSchema = z.object({
  now: z.string(),
  /** Null before the first security-domain download: nothing to record yet. */
  domain: z
    .object({
      fingerprint: z.string(),
      state: QuorumDomainStateSchema,
      /** m */
      required: z.number().int(),
      /** n */
      total: z.number().int(),
      activatedAt: z.string().nullable(),
    })
    .nullable(),
  custodians: z.array(QuorumCustodianSchema),
  warnings: z.array(QuorumWarningSchema),
  review: z
    .object({
      basis: z.enum(["last-review", "activation", "unknown"]),
      nextReviewAt: z.string().nullable(),
      due: z.boolean(),
      daysLeft: z.number().int().nullable(),
      lastReviewedAt: z.string().nullable(),
    })
    .nullable(),
  /** Newest first, including transfers of shares under certificates the domain no longer uses. */
  transfers: z.array(QuorumTransferSchema),
  /** Newest first. */
  reviews: z.array(QuorumReviewSchema),
});
export type QuorumRecord = z.infer<typeof QuorumRecordSchema>;
