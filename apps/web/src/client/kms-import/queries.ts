"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  KmsImportJobSchema,
  KmsImportListSchema,
  KmsImportOptionsSchema,
  KmsImportRemindersSchema,
  KmsKeyListSchema,
  type CreateKmsImportRequest,
  type KmsImportJob,
} from "@keyward/shared";
import type { ApiClient } from "../api/client";
import { useApi, useAuth } from "../auth/AuthProvider";

/** A running job moves in well under a second per step; a settled one changes only by a person or by expiry. */
const POLL_MS = 1_000;
const IDLE_POLL_MS = 60_000;

const path = (id: string) => `/portal-api/kms-imports/${encodeURIComponent(id)}`;

function useSignedInQuery<T>(key: unknown[], fn: (api: ApiClient) => Promise<T>, refetchInterval: number | ((data: T | undefined) => number | false)) {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: key,
    queryFn: () => fn(api),
    enabled: status === "signed-in",
    refetchInterval: (q) => (typeof refetchInterval === "number" ? refetchInterval : refetchInterval(q.state.data)),
  });
}

export const useKmsImports = () =>
  useSignedInQuery(["kms-imports"], (api) => api.json("/portal-api/kms-imports", KmsImportListSchema), (d) => (d?.jobs.some((j) => j.state === "running") ? POLL_MS : IDLE_POLL_MS));

export const useKmsImport = (id: string) =>
  useSignedInQuery(["kms-imports", id], (api) => api.json(path(id), KmsImportJobSchema), (d) => (d?.state === "running" ? POLL_MS : IDLE_POLL_MS));

export const useKmsReminders = () => useSignedInQuery(["kms-imports", "reminders"], (api) => api.json("/portal-api/kms-imports/reminders", KmsImportRemindersSchema), IDLE_POLL_MS);

export const useKmsKeys = () => useSignedInQuery(["kms-keys"], (api) => api.json("/portal-api/kms-keys", KmsKeyListSchema), IDLE_POLL_MS);

export function useKmsImportOptions(bridgeId: string) {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: ["kms-imports", "options", bridgeId],
    queryFn: () => api.json(`/portal-api/kms-imports/options?bridgeId=${encodeURIComponent(bridgeId)}`, KmsImportOptionsSchema),
    enabled: status === "signed-in" && bridgeId !== "",
    retry: false,
  });
}

/** Mutations answer with the job: it goes straight into the cache, so the page moves at once. */
function useJobMutation<V>(run: (api: ApiClient, vars: V) => Promise<KmsImportJob>) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (vars: V) => run(api, vars),
    onSuccess: (j) => {
      qc.setQueryData(["kms-imports", j.id], j);
      void qc.invalidateQueries({ queryKey: ["kms-imports"], exact: true });
      void qc.invalidateQueries({ queryKey: ["kms-keys"] });
    },
  });
}

export const useCreateKmsImport = () => useJobMutation((api, body: CreateKmsImportRequest) => api.json("/portal-api/kms-imports", KmsImportJobSchema, { method: "POST", body }));
export const useReimport = () => useJobMutation((api, id: string) => api.json(`${path(id)}/reimport`, KmsImportJobSchema, { method: "POST", body: {} }));
export const useResumeImport = () => useJobMutation((api, id: string) => api.json(`${path(id)}/resume`, KmsImportJobSchema, { method: "POST", body: {} }));
