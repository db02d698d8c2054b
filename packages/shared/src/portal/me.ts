import { z } from "zod";
import { DataActionSchema } from "../rbac/data-actions.js";

/** Who the portal sees behind the bearer token, and what the built-in roles let them do at `/`. */
export const MeSchema = z.object({
  id: z.string(),
  kind: z.enum(["user", "app"]),
  name: z.string().optional(),
  roles: z.array(z.object({ roleName: z.string(), scope: z.string() })),
  /** Data actions allowed at `/` (the matrix page and the navigation use them to hide what would fail). */
  dataActions: z.array(DataActionSchema),
});
export type Me = z.infer<typeof MeSchema>;
