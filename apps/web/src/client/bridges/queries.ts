"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BridgeKeysSchema, BridgeListSchema, BridgeSchema, BridgeStatusSchema, type RegisterBridgeRequest } from "@keyward/shared";
import { useApi, useAuth } from "../auth/AuthProvider";

/** How often the bridges list refreshes live status (the server caches probes for a few seconds). */
const STATUS_REFRESH_MS = 15_000;

const path = (id: string) => `/portal-api/bridges/${encodeURIComponent(id)}`;

export function useBridges() {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: ["bridges"],
    queryFn: () => api.json("/portal-api/bridges", BridgeListSchema),
    enabled: status === "signed-in",
    refetchInterval: STATUS_REFRESH_MS,
  });
}

/** A fresh probe of one bridge (skips the server's cache); the list is updated with its answer. */
export function useCheckBridge() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.json(`${path(id)}/status?fresh=1`, BridgeStatusSchema),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["bridges"] }),
  });
}

/** The token's keys (public information only), for "use an existing token key". */
export function useBridgeKeys(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ["bridges", id, "keys"],
    queryFn: () => api.json(`${path(id ?? "")}/keys`, BridgeKeysSchema),
    enabled: id !== undefined,
    staleTime: 10_000,
  });
}

export function useRegisterBridge() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RegisterBridgeRequest) => api.json("/portal-api/bridges", BridgeSchema, { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["bridges"] }),
  });
}

export function useRemoveBridge() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.raw(path(id), { method: "DELETE" });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ["bridges"] }),
  });
}
