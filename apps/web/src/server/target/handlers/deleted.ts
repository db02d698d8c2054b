import type { DeletedKeyItem, ListResponse } from "@keyward/shared";
import { toDeletedKeyBundle, toDeletedKeyItem, toKeyBundle } from "../bundle";
import type { TargetHandler } from "../context";
import { keyName, nextLink, pageOf } from "./keys";

export const getDeletedKeys: TargetHandler = async (ctx, req) => {
  const page = await ctx.store.listDeletedKeys(pageOf(req.url));
  const body: ListResponse<DeletedKeyItem> = { value: page.items.map((r) => toDeletedKeyItem(req.naming, r)), nextLink: nextLink(req.naming, req.url, page.continuation) };
  return { body };
};

export const getDeletedKey: TargetHandler = async (ctx, req) => ({
  body: toDeletedKeyBundle(req.naming, await ctx.store.getDeletedKey(keyName(req.route.name))),
});

export const recoverDeletedKey: TargetHandler = async (ctx, req) => ({
  body: toKeyBundle(req.naming, await ctx.store.recoverKey(keyName(req.route.name))),
});

export const purgeDeletedKey: TargetHandler = async (ctx, req) => {
  const name = keyName(req.route.name);
  await ctx.store.purgeKey(name);
  ctx.materials.forget(name);
  return { status: 204 };
};
