"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CeremonyListSchema, CeremonySchema, type Ceremony, type CreateCeremonyRequest } from "@keyward/shared";
import type { ApiClient } from "../api/client";
import { useApi, useAuth } from "../auth/AuthProvider";

/** While the portal works on a ceremony the page polls; a reload asks the server again, so nothing lives only here. */
const POLL_MS = 1_500;
/** Waiting on a person (a result file, a resume after a restart) changes slowly, but may change elsewhere. */
const WAIT_POLL_MS = 5_000;

const path = (id: string) => `/portal-api/ceremonies/${encodeURIComponent(id)}`;

export function useCeremonies() {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: ["ceremonies"],
    queryFn: () => api.json("/portal-api/ceremonies?limit=200", CeremonyListSchema),
    enabled: status === "signed-in",
    refetchInterval: (q) => (q.state.data?.ceremonies.some((c) => c.state === "running") ? POLL_MS * 2 : false),
  });
}

export function useCeremony(id: string) {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: ["ceremonies", id],
    queryFn: () => api.json(path(id), CeremonySchema),
    enabled: status === "signed-in",
    refetchInterval: (q) => {
      const state = q.state.data?.state;
      return state === "running" ? POLL_MS : state === "awaiting-file" || state === "interrupted" ? WAIT_POLL_MS : false;
    },
  });
}

/** Mutations that answer with the ceremony put it straight into the cache, so the page moves at once. */
function useCeremonyMutation<V>(run: (api: ApiClient, vars: V) => Promise<Ceremony>) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (vars: V) => run(api, vars),
    onSuccess: (c) => {
      qc.setQueryData(["ceremonies", c.id], c);
      void qc.invalidateQueries({ queryKey: ["ceremonies"], exact: true });
    },
  });
}

export function useCreateCeremony() {
  return useCeremonyMutation((api, body: CreateCeremonyRequest) => api.json("/portal-api/ceremonies", CeremonySchema, { method: "POST", body }));
}

export function useResumeCeremony() {
  return useCeremonyMutation((api, id: string) => api.json(`${path(id)}/resume`, CeremonySchema, { method: "POST", body: {} }));
}

export function useUploadResult() {
  return useCeremonyMutation((api, v: { id: string; result: string }) =>
    api.json(`${path(v.id)}/result-file`, CeremonySchema, { method: "POST", body: { result: v.result } }),
  );
}

/** The signed command file as the server named it (`keyward-<id>-<step>-<n>-of-<total>.jws`). */
export async function fetchCommandFile(api: ApiClient, id: string): Promise<{ blob: Blob; filename: string }> {
  const res = await api.raw(`${path(id)}/command-file`);
  const disposition = res.headers.get("content-disposition") ?? "";
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `keyward-${id}.jws`;
  return { blob: await res.blob(), filename };
}
