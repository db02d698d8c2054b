"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { OPERATIONS, PrincipalListSchema, RecoveryViewSchema, RehearsalViewSchema, type CreateRecoveryRequest, type CreateRehearsalRequest, type RecoveryView, type RehearsalView } from "@keyward/shared";
import type { ApiClient } from "../api/client";
import { useApi, useAuth } from "../auth/AuthProvider";
import { useCan } from "../auth/useMe";
import { pollInterval, withRecord } from "./approvals";

/** Endpoints: packages/shared/src/portal/sd-recovery.ts. Reading needs only a sign-in (custodians find their commands). */
const BASE = "/portal-api/security-domain";
const REHEARSALS = ["security-domain", "rehearsals"];
const RECOVERIES = ["security-domain", "recoveries"];
const at = (kind: "rehearsals" | "recoveries", id: string, action: string) => `${BASE}/${kind}/${encodeURIComponent(id)}/${action}`;

/** A list every signed-in principal may read, asked again while something in it is in progress. */
function useList<T>(key: string[], path: string, schema: z.ZodType<T[]>, poll: (list: T[] | undefined) => number | false) {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({ queryKey: key, queryFn: () => api.json(path, schema), enabled: status === "signed-in", refetchInterval: (q) => poll(q.state.data) });
}

export const useRehearsals = () => useList(REHEARSALS, `${BASE}/rehearsals`, z.array(RehearsalViewSchema), (list) => pollInterval(list, undefined));
export const useRecoveries = () => useList(RECOVERIES, `${BASE}/recoveries`, z.array(RecoveryViewSchema), (list) => pollInterval(undefined, list));

function useWrite<V, R extends { id: string }>(key: string[], send: (api: ApiClient, vars: V) => Promise<R>) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({ mutationFn: (vars: V) => send(api, vars), onSuccess: (record) => qc.setQueryData<R[]>(key, (list) => withRecord(list, record)) });
}

export const useStartRehearsal = () =>
  useWrite<CreateRehearsalRequest, RehearsalView>(REHEARSALS, (api, body) => api.json(`${BASE}/rehearsals`, RehearsalViewSchema, { method: "POST", body }));

export const useApproveRehearsal = () =>
  useWrite<{ id: string; commandSha256: string }, RehearsalView>(REHEARSALS, (api, { id, commandSha256 }) =>
    api.json(at("rehearsals", id, "approve"), RehearsalViewSchema, { method: "POST", body: { commandSha256 } }),
  );

export const useStartRecovery = () =>
  useWrite<CreateRecoveryRequest, RecoveryView>(RECOVERIES, (api, body) => api.json(`${BASE}/recoveries`, RecoveryViewSchema, { method: "POST", body }));

export const useApproveShare = () =>
  useWrite<{ id: string; thumbprintSha256: string; commandSha256: string }, RecoveryView>(RECOVERIES, (api, { id, ...body }) =>
    api.json(at("recoveries", id, "approvals"), RecoveryViewSchema, { method: "POST", body }),
  );

export const useCompleteRecovery = () =>
  useWrite<string, RecoveryView>(RECOVERIES, (api, id) => api.json(at("recoveries", id, "complete"), RecoveryViewSchema, { method: "POST", body: {} }));

/** Who can be named as a custodian: asked only of those who may list them (the access page's cache, shared). */
export function usePrincipals() {
  const api = useApi();
  const canList = useCan(OPERATIONS.listRoleAssignments);
  return useQuery({
    queryKey: ["access", "principals"],
    queryFn: async () => (await api.json("/portal-api/principals", PrincipalListSchema)).value,
    enabled: canList,
    staleTime: 60_000,
  });
}
