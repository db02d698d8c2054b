"use client";

import { useQuery } from "@tanstack/react-query";
import { MeSchema, type DataAction, type Me } from "@keyward/shared";
import { useAuth } from "./AuthProvider";

/** The signed-in principal, their roles and data actions at `/` (for navigation and disabled buttons). */
export function useMe() {
  const { api, status } = useAuth();
  return useQuery<Me>({ queryKey: ["me"], queryFn: () => api.json("/portal-api/me", MeSchema), enabled: status === "signed-in", staleTime: 30_000 });
}

/** Whether the signed-in principal holds a data action at `/` — a hint for the UI; the server decides. */
export function useCan(action: DataAction): boolean {
  const me = useMe();
  return me.data?.dataActions.includes(action) ?? false;
}
