"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { OPERATIONS, QuorumRecordSchema, type CustodianPersonInput, type QuorumRecord, type RecordReviewRequest, type RecordTransferRequest } from "@keyward/shared";
import type { ApiClient } from "../api/client";
import { useApi, useAuth } from "../auth/AuthProvider";
import { useCan } from "../auth/useMe";

const KEY = ["quorum"];
/** Reviews fall due by the calendar and records change by people: a minute is fresh enough. */
const REFRESH_MS = 60_000;

/**
 * The quorum record. `quiet`: not asked for when the roles could not read it (the banner on every page
 * says nothing then); the page itself asks, so that a refusal is shown in the server's words.
 */
export function useQuorum({ quiet = false }: { quiet?: boolean } = {}) {
  const api = useApi();
  const { status } = useAuth();
  const canRead = useCan(OPERATIONS.getSecurityDomainDownloadStatus);
  return useQuery({
    queryKey: KEY,
    queryFn: () => api.json("/portal-api/quorum", QuorumRecordSchema),
    enabled: status === "signed-in" && (canRead || !quiet),
    refetchInterval: REFRESH_MS,
  });
}

/** Every write answers with the whole record, which replaces the cached one. */
function useQuorumWrite<B>(send: (api: ApiClient, body: B) => Promise<QuorumRecord>) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({ mutationFn: (body: B) => send(api, body), onSuccess: (record) => qc.setQueryData(KEY, record) });
}

export const useUpdateCustodian = () =>
  useQuorumWrite<{ thumbprint: string; person: CustodianPersonInput }>((api, { thumbprint, person }) =>
    api.json(`/portal-api/quorum/custodians/${encodeURIComponent(thumbprint)}`, QuorumRecordSchema, { method: "PUT", body: person }),
  );

export const useRecordTransfer = () => useQuorumWrite<RecordTransferRequest>((api, body) => api.json("/portal-api/quorum/transfers", QuorumRecordSchema, { method: "POST", body }));

export const useRecordReview = () => useQuorumWrite<RecordReviewRequest>((api, body) => api.json("/portal-api/quorum/reviews", QuorumRecordSchema, { method: "POST", body }));
