"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { ApiError } from "../api/errors";
import { useApi } from "../auth/AuthProvider";

/** The parts of a Key Vault key bundle the wizard reads (the public key itself is not needed here). */
const KeyBundleSchema = z.object({
  key: z.object({ kid: z.string(), kty: z.string(), key_ops: z.array(z.string()).optional() }).loose(),
  attributes: z.object({ enabled: z.boolean().optional(), exp: z.number().optional(), nbf: z.number().optional() }).loose().optional(),
});
const KeyListSchema = z.object({ value: z.array(z.object({ kid: z.string() }).loose()) }).loose();

/** Why an existing key cannot serve as a KEK, or "ok" — the same rules the server applies when the ceremony starts. */
export type KekVerdict = "ok" | "missing" | "notRsa" | "notImportOnly" | "disabled" | "expired" | "notYetValid";

export function kekVerdict(bundle: z.infer<typeof KeyBundleSchema> | undefined, nowSeconds: number): KekVerdict {
  if (!bundle) return "missing";
  if (!/^RSA(-HSM)?$/.test(bundle.key.kty)) return "notRsa";
  const ops = bundle.key.key_ops ?? [];
  if (ops.length !== 1 || ops[0] !== "import") return "notImportOnly";
  if (bundle.attributes?.enabled === false) return "disabled";
  if (bundle.attributes?.exp !== undefined && bundle.attributes.exp <= nowSeconds) return "expired";
  if (bundle.attributes?.nbf !== undefined && bundle.attributes.nbf > nowSeconds) return "notYetValid";
  return "ok";
}

const keyPath = (name: string) => `/keys/${encodeURIComponent(name)}`;

/** A key's bundle, or undefined when no key has that name (a 404 is an answer here, not an error). */
function useKeyLookup() {
  const api = useApi();
  return async (name: string) => {
    try {
      return await api.json(keyPath(name), KeyBundleSchema);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return undefined;
      throw err;
    }
  };
}

/** Whether an existing key named `name` can be the ceremony's KEK. */
export function useExistingKek(name: string | undefined) {
  const lookup = useKeyLookup();
  return useQuery({
    queryKey: ["kek-check", name],
    queryFn: async () => kekVerdict(await lookup(name ?? ""), Date.now() / 1000),
    enabled: name !== undefined,
    staleTime: 5_000,
  });
}

/** Names of keys in the target (first page), to suggest an existing KEK; the server still checks the one chosen. */
export function useKeyNames() {
  const api = useApi();
  return useQuery({
    queryKey: ["key-names"],
    queryFn: async () => (await api.json("/keys?maxresults=25", KeyListSchema)).value.map((k) => decodeURIComponent(k.kid.split("/keys/")[1]?.split("/")[0] ?? "")).filter(Boolean),
    staleTime: 30_000,
  });
}

/** Most names checked as you type; a bigger bulk ceremony is checked by the server when it starts. */
export const MAX_NAMES_CHECKED = 25;

/** Which of `names` already exist in the target ("taken"), as far as the signed-in user may read them. */
export function useNamesTaken(names: readonly string[]) {
  const lookup = useKeyLookup();
  const checked = names.slice(0, MAX_NAMES_CHECKED);
  const results = useQueries({
    queries: checked.map((name) => ({ queryKey: ["name-taken", name], queryFn: async () => (await lookup(name)) !== undefined, staleTime: 5_000, retry: false })),
  });
  return {
    taken: checked.filter((_, i) => results[i]?.data === true),
    checking: results.some((r) => r.isFetching),
    partial: names.length > checked.length,
  };
}
