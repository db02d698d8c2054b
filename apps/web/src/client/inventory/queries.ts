"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  DeletedKeyListOutSchema,
  KeyBundleOutSchema,
  KeyExpiriesSchema,
  KeyItemListOutSchema,
  KeySearchResultSchema,
  RotationPolicyOutSchema,
  type KeyItemOut,
} from "@keyward/shared";
import { useApi, useAuth } from "../auth/AuthProvider";

/** `/keys/{name}` and below, the name escaped once. */
export const keyPath = (name: string, ...rest: string[]) => ["/keys", encodeURIComponent(name), ...rest].join("/");
const deletedPath = (name: string, ...rest: string[]) => ["/deletedkeys", encodeURIComponent(name), ...rest].join("/");

/** Key Vault's nextLink is absolute and carries api-version; the client adds its own, so only the token is kept. */
function skipToken(nextLink: string | null | undefined): string | undefined {
  if (!nextLink) return undefined;
  return new URL(nextLink).searchParams.get("$skiptoken") ?? undefined;
}

/** The server-side search; `params` is the page URL's query string, passed as it is so the server judges it. */
export function useKeySearch(params: string) {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: ["keys", "search", params],
    queryFn: () => api.json(`/portal-api/keys${params ? `?${params}` : ""}`, KeySearchResultSchema),
    enabled: status === "signed-in",
    placeholderData: keepPreviousData,
  });
}

/** `after`: hold the request until then (the list first: the embedded store answers one query at a time). */
export function useExpiries(days: number, after = true) {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: ["keys", "expiries", days],
    queryFn: () => api.json(`/portal-api/keys/expiries?days=${days}`, KeyExpiriesSchema),
    enabled: status === "signed-in" && after,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** One version of a key; the latest when `version` is undefined. */
export function useKey(name: string, version: string | undefined) {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: ["key", name, version ?? "latest"],
    queryFn: () => api.json(version ? keyPath(name, version) : keyPath(name), KeyBundleOutSchema),
    enabled: status === "signed-in",
  });
}

/** Every version, oldest first (Managed HSM keeps at most 100: four pages of 25). */
export function useKeyVersions(name: string) {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: ["key", name, "versions"],
    queryFn: async () => {
      const all: KeyItemOut[] = [];
      let token: string | undefined;
      do {
        const page = await api.json(`${keyPath(name, "versions")}?maxresults=25${token ? `&$skiptoken=${encodeURIComponent(token)}` : ""}`, KeyItemListOutSchema);
        all.push(...page.value);
        token = skipToken(page.nextLink);
      } while (token && all.length < 1000);
      return all;
    },
    enabled: status === "signed-in",
  });
}

export function useRotationPolicy(name: string) {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: ["key", name, "rotationpolicy"],
    queryFn: () => api.json(keyPath(name, "rotationpolicy"), RotationPolicyOutSchema),
    enabled: status === "signed-in",
  });
}

export function useDeletedKeys() {
  const api = useApi();
  const { status } = useAuth();
  return useInfiniteQuery({
    queryKey: ["deletedkeys"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api.json(`/deletedkeys?maxresults=25${pageParam ? `&$skiptoken=${encodeURIComponent(pageParam)}` : ""}`, DeletedKeyListOutSchema),
    getNextPageParam: (last) => skipToken(last.nextLink),
    enabled: status === "signed-in",
  });
}

/** The body of PATCH /keys/{name}/{version}: only what the form changed. */
export interface KeyPatch {
  attributes?: { enabled?: boolean; nbf?: number; exp?: number };
  tags?: Record<string, string>;
  release_policy?: { contentType: string; data: string; immutable: boolean };
}

/** Any change to a key refreshes every view of it and the inventory. */
function useKeyChanged() {
  const qc = useQueryClient();
  return (name: string) =>
    Promise.all([qc.invalidateQueries({ queryKey: ["key", name] }), qc.invalidateQueries({ queryKey: ["keys"] }), qc.invalidateQueries({ queryKey: ["deletedkeys"] })]);
}

export function useUpdateKey(name: string, version: string) {
  const api = useApi();
  const changed = useKeyChanged();
  return useMutation({
    mutationFn: (body: KeyPatch) => api.json(keyPath(name, version), KeyBundleOutSchema, { method: "PATCH", body }),
    onSuccess: () => changed(name),
  });
}

export function useUpdateRotationPolicy(name: string) {
  const api = useApi();
  const changed = useKeyChanged();
  return useMutation({
    mutationFn: (body: unknown) => api.json(keyPath(name, "rotationpolicy"), RotationPolicyOutSchema, { method: "PUT", body }),
    onSuccess: () => changed(name),
  });
}

export function useDeleteKey(name: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.raw(keyPath(name), { method: "DELETE" }),
    // Only the lists: the key's own views would refetch into 404s while the page moves on to Deleted keys.
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: ["keys"] }), qc.invalidateQueries({ queryKey: ["deletedkeys"] })]),
  });
}

export function useRecoverKey() {
  const api = useApi();
  const changed = useKeyChanged();
  return useMutation({
    mutationFn: (name: string) => api.json(deletedPath(name, "recover"), KeyBundleOutSchema, { method: "POST" }),
    onSuccess: (_bundle, name) => changed(name),
  });
}

export function usePurgeKey() {
  const api = useApi();
  const changed = useKeyChanged();
  return useMutation({
    mutationFn: (name: string) => api.raw(deletedPath(name), { method: "DELETE" }),
    onSuccess: (_res, name) => changed(name),
  });
}
