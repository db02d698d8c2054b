"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { PrincipalListSchema, RoleAssignmentListSchema, RoleAssignmentWireSchema, roleDefinitionId, type RoleAssignment, type RoleScope } from "@keyward/shared";
import { z } from "zod";
import { useAuth } from "../auth/AuthProvider";

const ASSIGNMENTS = "/providers/Microsoft.Authorization/roleAssignments";
const KEY = ["access"] as const;

export interface ListedAssignment extends RoleAssignment {
  /** The assignment's own path (`/keys/providers/…/<name>`): where it is read and deleted. */
  path: string;
}

/** Every role assignment (a list at `/` shows those at `/`, `/keys` and every key) and the known principals. */
export function useAccessData() {
  const { api } = useAuth();
  const assignments = useQuery({
    queryKey: [...KEY, "assignments"],
    queryFn: async (): Promise<ListedAssignment[]> =>
      (await api.json(ASSIGNMENTS, RoleAssignmentListSchema)).value.map((w) => ({ name: w.name, path: w.id, ...w.properties })),
  });
  const principals = useQuery({ queryKey: [...KEY, "principals"], queryFn: async () => (await api.json("/portal-api/principals", PrincipalListSchema)).value });
  return { assignments, principals };
}

/** Assign (PUT under the scope, a fresh GUID as its name) and remove (DELETE at its own path). */
export function useAssignmentMutations() {
  const { api } = useAuth();
  const client = useQueryClient();
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: KEY }), client.invalidateQueries({ queryKey: ["me"] })]);
  const assign = useMutation({
    mutationFn: (input: { principalId: string; roleId: string; scope: RoleScope }) =>
      api.json(`${input.scope === "/" ? "" : input.scope}${ASSIGNMENTS}/${crypto.randomUUID()}`, RoleAssignmentWireSchema, {
        method: "PUT",
        body: { properties: { roleDefinitionId: roleDefinitionId(input.roleId), principalId: input.principalId } },
      }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (a: ListedAssignment) => api.json(a.path, z.unknown(), { method: "DELETE" }),
    onSuccess: refresh,
  });
  return { assign, remove };
}
