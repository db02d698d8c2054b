import {
  CreateAliasParamsSchema,
  CreateKeyParamsSchema,
  DecryptParamsSchema,
  EncryptParamsSchema,
  GetParametersForImportParamsSchema,
  ImportKeyMaterialParamsSchema,
  KeyIdParamsSchema,
  ListKeysParamsSchema,
  TagResourceParamsSchema,
  UntagResourceParamsSchema,
  kmsTime,
  parseEncryptionContext,
  parseKmsParams,
  type KmsKeyMetadata,
} from "@keyward/shared";
import type { KmsKey, KmsService } from "./service";

type Params = Readonly<Record<string, string>>;

export interface ActionContext {
  service: KmsService;
  /** Names this instance in ARNs: `acs:kms:<region>:<accountId>:key/<id>`. */
  region: string;
  accountId: string;
}

/** What an action answers besides the RequestId, which the handler adds. */
export type KmsAction = (ctx: ActionContext, params: Params) => Promise<Record<string, unknown>>;

export function keyArn(ctx: ActionContext, keyId: string): string {
  return `acs:kms:${ctx.region}:${ctx.accountId}:key/${keyId}`;
}

export function keyMetadata(ctx: ActionContext, { row, state }: KmsKey): KmsKeyMetadata {
  const created = kmsTime(row.creation_date);
  return {
    KeyId: row.key_id,
    Arn: keyArn(ctx, row.key_id),
    CreationDate: created,
    Creator: ctx.accountId,
    Description: row.description,
    KeySpec: row.key_spec,
    KeyUsage: row.key_usage,
    KeyState: state,
    Origin: row.origin,
    ProtectionLevel: row.protection_level,
    MaterialExpireTime: row.material_expire === null ? "" : kmsTime(row.material_expire),
    PrimaryKeyVersion: row.primary_key_version,
    LastRotationDate: created,
    AutomaticRotation: "Disabled",
    DeleteDate: "",
  };
}

/** The actions this endpoint serves, by the cloud's names; anything else is InvalidAction.NotFound. */
export const KMS_ACTIONS: Readonly<Record<string, KmsAction>> = {
  async CreateKey(ctx, params) {
    return { KeyMetadata: keyMetadata(ctx, await ctx.service.createKey(parseKmsParams(CreateKeyParamsSchema, params))) };
  },
  async DescribeKey(ctx, params) {
    const { KeyId } = parseKmsParams(KeyIdParamsSchema, params);
    return { KeyMetadata: keyMetadata(ctx, await ctx.service.resolve(KeyId)) };
  },
  async ListKeys(ctx, params) {
    const { PageNumber, PageSize } = parseKmsParams(ListKeysParamsSchema, params);
    const { keyIds, total } = await ctx.service.listKeys(PageNumber, PageSize);
    return { Keys: { Key: keyIds.map((id) => ({ KeyId: id, KeyArn: keyArn(ctx, id) })) }, TotalCount: total, PageNumber, PageSize };
  },
  async CreateAlias(ctx, params) {
    const { KeyId, AliasName } = parseKmsParams(CreateAliasParamsSchema, params);
    await ctx.service.createAlias(KeyId, AliasName);
    return {};
  },
  async TagResource(ctx, params) {
    const { KeyId, Tags } = parseKmsParams(TagResourceParamsSchema, params);
    await ctx.service.tagResource(KeyId, Tags);
    return {};
  },
  async UntagResource(ctx, params) {
    const { KeyId, TagKeys } = parseKmsParams(UntagResourceParamsSchema, params);
    await ctx.service.untagResource(KeyId, TagKeys);
    return {};
  },
  async ListResourceTags(ctx, params) {
    const { keyId, tags } = await ctx.service.listResourceTags(parseKmsParams(KeyIdParamsSchema, params).KeyId);
    return { Tags: { Tag: Object.entries(tags).map(([TagKey, TagValue]) => ({ KeyId: keyId, TagKey, TagValue })) } };
  },
  async GetParametersForImport(ctx, params) {
    const p = parseKmsParams(GetParametersForImportParamsSchema, params);
    const issued = await ctx.service.getParametersForImport(p.KeyId, p.WrappingAlgorithm, p.WrappingKeySpec);
    return { KeyId: issued.keyId, ImportToken: issued.importToken, PublicKey: issued.publicKey, TokenExpireTime: kmsTime(issued.expires) };
  },
  async ImportKeyMaterial(ctx, params) {
    const p = parseKmsParams(ImportKeyMaterialParamsSchema, params);
    await ctx.service.importKeyMaterial(p.KeyId, p.EncryptedKeyMaterial, p.ImportToken, p.KeyMaterialExpireUnix);
    return {};
  },
  async DeleteKeyMaterial(ctx, params) {
    await ctx.service.deleteKeyMaterial(parseKmsParams(KeyIdParamsSchema, params).KeyId);
    return {};
  },
  async Encrypt(ctx, params) {
    const { KeyId, Plaintext } = parseKmsParams(EncryptParamsSchema, params);
    const out = await ctx.service.encrypt(KeyId, Plaintext, parseEncryptionContext(params));
    return { KeyId: out.keyId, KeyVersionId: out.keyVersionId, CiphertextBlob: out.ciphertextBlob };
  },
  async Decrypt(ctx, params) {
    const { CiphertextBlob } = parseKmsParams(DecryptParamsSchema, params);
    const out = await ctx.service.decrypt(CiphertextBlob, parseEncryptionContext(params));
    return { KeyId: out.keyId, KeyVersionId: out.keyVersionId, Plaintext: out.plaintext };
  },
};
